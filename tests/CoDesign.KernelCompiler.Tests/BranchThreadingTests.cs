using CoDesign.KernelCompiler.Execution;
using CoDesign.KernelCompiler.Tests.Conformance;
using CoDesign.TestSupport;

namespace CoDesign.KernelCompiler.Tests;

/// <summary>
/// Branch threading: where a branch leads to a small test block (an inner loop's test after the outer
/// loop's), the branching block decides in its last cycle where the test goes, and the test takes no
/// state. Same results on the RTL, fewer states and cycles, and the cycles still as predicted.
/// </summary>
public class BranchThreadingTests
{
    private static readonly CompileOptions Nest = FlatteningTests.Slow with { Flatten = false };

    [Theory]
    [MemberData(nameof(FlatteningTests.FlatNests), MemberType = typeof(FlatteningTests))]
    public void A_threaded_nest_agrees_with_the_unthreaded_one_in_fewer_states_and_cycles(string kernel)
    {
        CompiledKernel threaded = KernelCompiler.Compile(FlatteningTests.Source.Value, kernel, Nest);
        CompiledKernel unthreaded = KernelCompiler.Compile(FlatteningTests.Source.Value, kernel, Nest with { ThreadBranches = false });
        Assert.Contains(threaded.Ir.Blocks, b => b.Threaded);
        Assert.True(threaded.Schedules.Values.Sum(s => s.States) < unthreaded.Schedules.Values.Sum(s => s.States), threaded.Ir.Dump());

        var calls = new KernelInputGenerator(5, maxSpanLength: 40).Calls(threaded.Signature, 12).ToList();
        (long threadedCycles, long unthreadedCycles) = TimedRtlBackend.CyclesOfTheSameResults(threaded, unthreaded, calls);
        Assert.True(threadedCycles < unthreadedCycles, $"{threadedCycles} threaded vs {unthreadedCycles} unthreaded cycles");
        Assert.Equal(calls.Sum(c => threaded.Predictor().Run(c).Cycles!.Value), threadedCycles);
    }

    /// <summary>
    /// Threading never costs: on every corpus kernel at the default clock the state machine has no
    /// more states than without it, and every generated call gives the same results in no more
    /// predicted cycles (a test is threaded only where the branching block keeps its steps).
    /// </summary>
    [Theory]
    [MemberData(nameof(CorpusFiles.Names), MemberType = typeof(CorpusFiles))]
    public void Threading_never_adds_a_state_or_a_cycle_to_a_corpus_kernel(string file)
    {
        KernelSource source = KernelSource.Load(Path.Combine(CorpusFiles.Folder, file));
        foreach (string kernel in KernelCorpus.Kernels(Path.Combine(CorpusFiles.Folder, file)))
        {
            CompiledKernel threaded = KernelCompiler.Compile(source, kernel);
            CompiledKernel unthreaded = KernelCompiler.Compile(source, kernel, new CompileOptions { ThreadBranches = false });
            Assert.True(threaded.Schedules.Values.Sum(s => s.States) <= unthreaded.Schedules.Values.Sum(s => s.States), kernel);
            foreach (KernelCall call in new KernelInputGenerator(3).Calls(threaded.Signature, 8))
            {
                KernelOutcome fast = threaded.Predictor().Run(call);
                KernelOutcome slow = unthreaded.Predictor().Run(call);
                Assert.Null(ConformanceCheck.FirstDifference(threaded.Signature, slow, fast));
                Assert.True(fast.Cycles <= slow.Cycles, $"{kernel}: {fast.Cycles} threaded vs {slow.Cycles} unthreaded cycles\n{ConformanceCheck.DescribeInputs(call)}");
            }
        }
    }
}
