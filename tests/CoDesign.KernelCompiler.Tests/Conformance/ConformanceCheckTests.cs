using CoDesign.KernelCompiler.Execution;
using CoDesign.KernelCompiler.Signature;
using CoDesign.TestSupport;

namespace CoDesign.KernelCompiler.Tests.Conformance;

public class ConformanceCheckTests
{
    private static readonly KernelSignature Signature = new(
        "K.F",
        [
            new("a", new KernelValueType(32, true), KernelParameterKind.Scalar),
            new("data", new KernelValueType(64, false), KernelParameterKind.Span),
            new("o", new KernelValueType(8, true), KernelParameterKind.Out),
        ],
        new KernelValueType(32, false));

    private static readonly KernelCall Call = new(Signature, new Dictionary<string, long[]> { ["a"] = [-3], ["data"] = [1, -1], ["o"] = [] });

    private static KernelOutcome Outcome(long[] data, long o, long? returned) =>
        new(new Dictionary<string, long[]> { ["data"] = data, ["o"] = [o] }, returned, null);

    [Fact]
    public void Agreeing_back_ends_pass()
    {
        var reference = new FixedBackend("cpu", Outcome([1, 2], -1, 7));
        var other = new FixedBackend("rtl", Outcome([1, 2], -1, 7) with { Cycles = 12 });
        ConformanceCheck.Compare(reference, other, Call);
        ConformanceCheck.CompareAll([reference, other, other], [Call, Call]);
    }

    [Fact]
    public void A_differing_span_element_is_named_with_both_values_and_the_inputs()
    {
        var error = Assert.Throws<KernelMismatchException>(() => ConformanceCheck.Compare(
            new FixedBackend("cpu", Outcome([1, 2], 0, 7)), new FixedBackend("interp", Outcome([1, -1], 0, 7)), Call, "the kernel's source"));
        string nl = Environment.NewLine;
        Assert.Equal(
            $"K.F: interp differs from cpu at data[1]: expected 2, actual 18446744073709551615{nl}inputs:{nl}  a = -3{nl}  data = 1 18446744073709551615{nl}{nl}the kernel's source",
            error.Message);
    }

    [Fact]
    public void A_differing_length_out_value_or_return_is_named()
    {
        Assert.Equal("data: expected 2 values, actual 1", ConformanceCheck.FirstDifference(Signature, Outcome([1, 2], 0, 7), Outcome([1], 0, 7)));
        Assert.Equal("o: expected -1, actual 1", ConformanceCheck.FirstDifference(Signature, Outcome([1], -1, 7), Outcome([1], 1, 7)));
        Assert.Equal("return: expected 4294967295, actual none", ConformanceCheck.FirstDifference(Signature, Outcome([1], 0, 4294967295), Outcome([1], 0, null)));
        Assert.Null(ConformanceCheck.FirstDifference(Signature, Outcome([1], 0, 3), Outcome([1], 0, 3)));
    }

    [Fact]
    public void A_missing_result_is_a_difference()
    {
        var actual = new KernelOutcome(new Dictionary<string, long[]> { ["data"] = [1] }, 3, null);
        Assert.Equal("o: missing from the outcome", ConformanceCheck.FirstDifference(Signature, Outcome([1], 0, 3), actual));
    }

    [Fact]
    public void A_back_end_that_throws_fails_with_the_inputs()
    {
        var error = Assert.Throws<KernelMismatchException>(() => ConformanceCheck.CompareAll(
            [new FixedBackend("cpu", Outcome([1], 0, 3)), new ThrowingBackend()], [Call]));
        Assert.StartsWith("K.F: broken threw InvalidOperationException: no", error.Message);
        Assert.Contains("  a = -3", error.Message);
        Assert.IsType<InvalidOperationException>(error.InnerException);
    }

    [Fact]
    public void Each_back_end_runs_all_calls_in_one_batch()
    {
        var reference = new BatchingBackend("cpu");
        var other = new BatchingBackend("rtl");
        ConformanceCheck.CompareAll([reference, other], [Call, Call, Call]);
        Assert.Equal([3], reference.Batches);
        Assert.Equal([3], other.Batches);
    }

    [Fact]
    public void A_batch_that_throws_is_rerun_call_by_call_to_name_the_call()
    {
        var second = Call with { Arguments = new Dictionary<string, long[]> { ["a"] = [99], ["data"] = [], ["o"] = [] } };
        var error = Assert.Throws<KernelMismatchException>(() => ConformanceCheck.CompareAll(
            [new FixedBackend("cpu", Outcome([1], 0, 3)), new BatchingBackend("sim", failOn: 99)], [Call, second]));
        Assert.StartsWith("K.F: sim threw InvalidOperationException: a = 99", error.Message);
        Assert.Contains("  a = 99", error.Message);
    }

    [Fact]
    public void A_batch_with_the_wrong_number_of_outcomes_fails()
    {
        var error = Assert.Throws<KernelMismatchException>(() => ConformanceCheck.CompareAll(
            [new FixedBackend("cpu", Outcome([1], 0, 3)), new ShortBatchBackend()], [Call, Call]));
        Assert.Equal("short returned 1 outcomes for 2 calls", error.Message);
    }

    private sealed class BatchingBackend(string name, long failOn = long.MinValue) : IKernelBackend
    {
        public List<int> Batches { get; } = [];

        public string Name => name;

        public KernelOutcome Run(KernelCall call) => call.Arguments["a"][0] == failOn
            ? throw new InvalidOperationException($"a = {failOn}")
            : Outcome([1], 0, 3);

        public IReadOnlyList<KernelOutcome> RunAll(IReadOnlyList<KernelCall> calls)
        {
            Batches.Add(calls.Count);
            return [.. calls.Select(Run)];
        }
    }

    private sealed class ShortBatchBackend : IKernelBackend
    {
        public string Name => "short";

        public KernelOutcome Run(KernelCall call) => Outcome([1], 0, 3);

        public IReadOnlyList<KernelOutcome> RunAll(IReadOnlyList<KernelCall> calls) => [Run(calls[0])];
    }

    private sealed class FixedBackend(string name, KernelOutcome outcome) : IKernelBackend
    {
        public string Name => name;

        public KernelOutcome Run(KernelCall call) => outcome;
    }

    private sealed class ThrowingBackend : IKernelBackend
    {
        public string Name => "broken";

        public KernelOutcome Run(KernelCall call) => throw new InvalidOperationException("no");
    }
}
