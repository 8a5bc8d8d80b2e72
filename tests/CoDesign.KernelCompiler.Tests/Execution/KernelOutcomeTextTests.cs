using CoDesign.KernelCompiler.Execution;
using CoDesign.KernelCompiler.Signature;

namespace CoDesign.KernelCompiler.Tests.Execution;

public class KernelOutcomeTextTests
{
    private static readonly KernelValueType Int = new(32, true);
    private static readonly KernelValueType Ulong = new(64, false);

    private static readonly KernelSignature Signature = new(
        "K.F",
        [
            new("a", Int, KernelParameterKind.Scalar),
            new("data", Int, KernelParameterKind.Span),
            new("input", Ulong, KernelParameterKind.ReadOnlySpan),
            new("q", Ulong, KernelParameterKind.Out),
            new("ok", KernelValueType.Bool, KernelParameterKind.Out),
        ],
        Ulong);

    private static KernelOutcome Outcome(long? cycles) => new(
        new Dictionary<string, long[]>
        {
            ["data"] = [1, -2, 3],
            ["input"] = [],
            ["q"] = [-1],
            ["ok"] = [1],
        },
        long.MinValue,
        cycles);

    [Fact]
    public void Spans_and_outs_print_in_parameter_order_then_return() =>
        Assert.Equal(
            ["data = 1 -2 3", "input =", "q = 18446744073709551615", "ok = 1", "return = 9223372036854775808"],
            KernelOutcomeText.Lines(Signature, Outcome(null), withCycles: true));

    [Fact]
    public void Cycles_print_last_when_asked_for() =>
        Assert.Equal("cycles = 42", KernelOutcomeText.Lines(Signature, Outcome(42), withCycles: true)[^1]);

    [Fact]
    public void Cycles_do_not_print_when_not_asked_for() =>
        Assert.Equal(5, KernelOutcomeText.Lines(Signature, Outcome(42), withCycles: false).Count);

    [Fact]
    public void A_void_kernel_without_spans_prints_nothing() =>
        Assert.Empty(KernelOutcomeText.Lines(
            new KernelSignature("K.G", [new("a", Int, KernelParameterKind.Scalar)], null),
            new KernelOutcome(new Dictionary<string, long[]>(), null, null),
            withCycles: false));

    [Fact]
    public void A_missing_result_is_a_back_end_bug()
    {
        var outcome = new KernelOutcome(new Dictionary<string, long[]> { ["data"] = [] }, 0, null);
        var error = Assert.Throws<ArgumentException>(() => KernelOutcomeText.Lines(Signature, outcome, false));
        Assert.StartsWith("the outcome of K.F has no result for 'input'", error.Message);
    }

    [Fact]
    public void A_missing_return_value_is_a_back_end_bug()
    {
        var outcome = new KernelOutcome(new Dictionary<string, long[]> { ["data"] = [], ["input"] = [], ["q"] = [0], ["ok"] = [0] }, null, null);
        var error = Assert.Throws<ArgumentException>(() => KernelOutcomeText.Lines(Signature, outcome, false));
        Assert.StartsWith("the outcome of K.F has no return value", error.Message);
    }
}
