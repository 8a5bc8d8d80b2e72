using CoDesign.KernelCompiler.Execution;
using CoDesign.KernelCompiler.Signature;
using CoDesign.TestSupport;

namespace CoDesign.KernelCompiler.Tests.Conformance;

public class KernelInputGeneratorTests
{
    private static readonly KernelValueType[] Types =
    [
        KernelValueType.Bool, new(8, true), new(8, false), new(16, true), new(16, false),
        new(32, true), new(32, false), new(64, true), new(64, false),
    ];

    private static readonly KernelSignature Signature = new(
        "K.F",
        [
            new("a", new KernelValueType(8, false), KernelParameterKind.Scalar),
            new("data", new KernelValueType(16, true), KernelParameterKind.ReadOnlySpan),
            new("o", new KernelValueType(32, true), KernelParameterKind.Out),
        ],
        null);

    [Fact]
    public void The_same_seed_gives_the_same_calls()
    {
        var first = new KernelInputGenerator(5).Calls(Signature, 50);
        var second = new KernelInputGenerator(5).Calls(Signature, 50);
        Assert.Equal(first.Select(Describe), second.Select(Describe));
        Assert.NotEqual(first.Select(Describe), new KernelInputGenerator(6).Calls(Signature, 50).Select(Describe));
    }

    [Fact]
    public void Scalars_have_one_value_spans_bounded_lengths_and_outs_none()
    {
        var calls = new KernelInputGenerator(1, maxSpanLength: 5).Calls(Signature, 200);
        Assert.All(calls, c => Assert.Single(c.Arguments["a"]));
        Assert.All(calls, c => Assert.InRange(c.Arguments["data"].Length, 0, 5));
        Assert.All(calls, c => Assert.Empty(c.Arguments["o"]));
        Assert.Contains(calls, c => c.Arguments["data"].Length == 0);
        Assert.Contains(calls, c => c.Arguments["data"].Length == 5);
    }

    [Fact]
    public void Values_are_normalized_and_cover_the_edges_of_every_type()
    {
        foreach (KernelValueType type in Types)
        {
            var generator = new KernelInputGenerator(3);
            var values = Enumerable.Range(0, 2000).Select(_ => generator.Value(type)).ToHashSet();
            Assert.All(values, v => Assert.Equal(type.Normalize(v), v));
            Assert.Contains(0L, values);
            Assert.Contains(1L, values);
            Assert.Contains(type.MinValue, values);
            Assert.Contains(unchecked((long)type.MaxValue), values);
            Assert.True(type.IsBool || values.Count > 100, $"{type.CSharpName}: {values.Count} distinct values");
        }
    }

    [Fact]
    public void Generated_calls_parse_back_from_their_printed_form()
    {
        foreach (KernelCall call in new KernelInputGenerator(9).Calls(Signature, 50))
        {
            string[] args =
            [
                "a=" + string.Join(',', call.Arguments["a"].Select(v => Signature.Parameters[0].Type.ToText(v))),
                "data=" + string.Join(',', call.Arguments["data"].Select(v => Signature.Parameters[1].Type.ToText(v))),
            ];
            Assert.Equal(Describe(call), Describe(KernelArguments.Parse(Signature, args)));
        }
    }

    private static string Describe(KernelCall call) =>
        string.Join(";", call.Signature.Parameters.Select(p => p.Name + "=" + string.Join(',', call.Arguments[p.Name])));
}
