using CoDesign.KernelCompiler.Execution;
using CoDesign.KernelCompiler.Signature;

namespace CoDesign.KernelCompiler.Tests.Execution;

public class KernelArgumentsTests
{
    private static readonly KernelValueType Int = new(32, true);

    private static readonly KernelSignature Signature = new(
        "K.F",
        [
            new("a", Int, KernelParameterKind.Scalar),
            new("data", new KernelValueType(8, false), KernelParameterKind.ReadOnlySpan),
            new("flag", KernelValueType.Bool, KernelParameterKind.Scalar),
            new("big", new KernelValueType(64, false), KernelParameterKind.Scalar),
            new("small", new KernelValueType(8, true), KernelParameterKind.Scalar),
            new("r", Int, KernelParameterKind.Out),
        ],
        Int);

    private static readonly string[] Valid = ["a=-5", "data=1,2,255", "flag=true", "big=18446744073709551615", "small=-128"];

    private static string Error(params string[] args) =>
        Assert.Throws<KernelArgumentException>(() => KernelArguments.Parse(Signature, args)).Message;

    private static string[] With(string name, string? replacement)
    {
        var args = Valid.Where(a => !a.StartsWith(name + "=", StringComparison.Ordinal)).ToList();
        if (replacement is not null)
        {
            args.Add(replacement);
        }

        return [.. args];
    }

    [Fact]
    public void Valid_arguments_become_normalized_patterns_with_out_parameters_empty()
    {
        KernelCall call = KernelArguments.Parse(Signature, Valid);
        Assert.Equal([-5L], call.Arguments["a"]);
        Assert.Equal([1L, 2, 255], call.Arguments["data"]);
        Assert.Equal([1L], call.Arguments["flag"]);
        Assert.Equal([-1L], call.Arguments["big"]);
        Assert.Equal([-128L], call.Arguments["small"]);
        Assert.Empty(call.Arguments["r"]);
        Assert.Same(Signature, call.Signature);
    }

    [Fact]
    public void An_empty_value_is_an_empty_span()
    {
        KernelCall call = KernelArguments.Parse(Signature, With("data", "data="));
        Assert.Empty(call.Arguments["data"]);
    }

    [Theory]
    [InlineData("a=0x7FFFFFFF", 2147483647L)]
    [InlineData("a=-0x80000000", -2147483648L)]
    [InlineData("a=+12", 12L)]
    [InlineData("a= 7 ", 7L)]
    [InlineData("a=-2147483648", -2147483648L)]
    [InlineData("a=0X1f", 31L)]
    public void Hex_signs_and_spaces_are_accepted(string arg, long expected) =>
        Assert.Equal([expected], KernelArguments.Parse(Signature, With("a", arg)).Arguments["a"]);

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("1", 1L)]
    [InlineData("false", 0L)]
    [InlineData("True", 1L)]
    public void Bool_takes_0_1_true_false(string value, long expected) =>
        Assert.Equal([expected], KernelArguments.Parse(Signature, With("flag", "flag=" + value)).Arguments["flag"]);

    [Fact]
    public void Ulong_hex_above_long_max_is_its_bit_pattern() =>
        Assert.Equal([long.MinValue], KernelArguments.Parse(Signature, With("big", "big=0x8000000000000000")).Arguments["big"]);

    [Fact]
    public void An_unknown_name_lists_the_parameters() =>
        Assert.Equal("--arg b: K.F has no parameter 'b' (its parameters: a, data, flag, big, small, r)", Error([.. Valid, "b=1"]));

    [Fact]
    public void A_kernel_without_parameters_says_so() =>
        Assert.Equal(
            "--arg x: K.G has no parameter 'x' (it has no parameters)",
            Assert.Throws<KernelArgumentException>(() => KernelArguments.Parse(new KernelSignature("K.G", [], null), ["x=1"])).Message);

    [Fact]
    public void A_parameter_given_twice_is_an_error() =>
        Assert.Equal("--arg a: given twice", Error([.. Valid, "a=3"]));

    [Fact]
    public void An_argument_without_equals_is_an_error() =>
        Assert.Equal("--arg 'a': expected name=v1,v2,... (name= for an empty span)", Error([.. Valid, "a"]));

    [Fact]
    public void An_argument_with_nothing_before_equals_is_an_error() =>
        Assert.Equal("--arg '=5': expected name=v1,v2,... (name= for an empty span)", Error([.. Valid, "=5"]));

    [Fact]
    public void A_scalar_with_several_values_is_an_error() =>
        Assert.Equal("--arg a: a is a scalar int and takes exactly one value, got 2", Error(With("a", "a=1,2")));

    [Fact]
    public void A_scalar_without_a_value_is_an_error() =>
        Assert.Equal("--arg a: a is a scalar int and takes exactly one value, got none", Error(With("a", "a=")));

    [Fact]
    public void A_missing_scalar_is_an_error() =>
        Assert.Equal("--arg small: missing; small is a scalar sbyte (give --arg small=V)", Error(With("small", null)));

    [Fact]
    public void A_missing_span_is_an_error() =>
        Assert.Equal("--arg data: missing; data is a ReadOnlySpan<byte> (give --arg data=v1,v2,... or data= for an empty span)", Error(With("data", null)));

    [Fact]
    public void An_out_parameter_takes_no_value() =>
        Assert.Equal("--arg r: r is an out parameter and takes no value (the kernel sets it)", Error([.. Valid, "r=1"]));

    [Fact]
    public void A_value_that_is_not_a_number_is_an_error() =>
        Assert.Equal("--arg a: 'x1' is not an integer (decimal, or hex as 0x...)", Error(With("a", "a=x1")));

    [Theory]
    [InlineData("a=1.5", "'1.5'")]
    [InlineData("a=1e3", "'1e3'")]
    [InlineData("a=0x", "'0x'")]
    [InlineData("a=-", "'-'")]
    [InlineData("a=--1", "'--1'")]
    [InlineData("a=1 2", "'1 2'")]
    public void Malformed_numbers_are_errors(string arg, string quoted) =>
        Assert.Equal($"--arg a: {quoted} is not an integer (decimal, or hex as 0x...)", Error(With("a", arg)));

    [Fact]
    public void A_bad_span_element_is_named_by_index() =>
        Assert.Equal("--arg data[1]: '' is not an integer (decimal, or hex as 0x...)", Error(With("data", "data=1,,3")));

    [Fact]
    public void A_byte_out_of_range_says_the_range() =>
        Assert.Equal("--arg data[2]: 300 is out of range for byte (0..255)", Error(With("data", "data=1,2,300")));

    [Fact]
    public void A_negative_value_for_an_unsigned_type_is_out_of_range() =>
        Assert.Equal("--arg big: -1 is out of range for ulong (0..18446744073709551615)", Error(With("big", "big=-1")));

    [Theory]
    [InlineData("small=128", "128 is out of range for sbyte (-128..127)")]
    [InlineData("small=-129", "-129 is out of range for sbyte (-128..127)")]
    [InlineData("small=0x80", "0x80 is out of range for sbyte (-128..127)")]
    public void Signed_ranges_are_checked(string arg, string message) =>
        Assert.Equal("--arg small: " + message, Error(With("small", arg)));

    [Fact]
    public void An_int_out_of_range_says_the_range() =>
        Assert.Equal("--arg a: 2147483648 is out of range for int (-2147483648..2147483647)", Error(With("a", "a=2147483648")));

    [Fact]
    public void A_huge_number_is_out_of_range_and_cut_in_the_message()
    {
        string message = Error(With("big", "big=" + new string('9', 100)));
        Assert.Equal("--arg big: 99999999999999999999999999999999... is out of range for ulong (0..18446744073709551615)", message);
    }

    [Fact]
    public void A_bool_that_is_not_0_1_true_false_is_an_error() =>
        Assert.Equal("--arg flag: '2' is not a bool (0, 1, true or false)", Error(With("flag", "flag=2")));

    [Fact]
    public void Control_characters_in_an_echoed_value_are_made_visible() =>
        Assert.Equal("--arg a: '1?2' is not an integer (decimal, or hex as 0x...)", Error(With("a", "a=1\u00012")));

    [Fact]
    public void Every_message_is_one_line()
    {
        string message = Error([.. Valid, "z\nz=1"]);
        Assert.DoesNotContain('\n', message);
    }
}
