using CoDesign.Hardware.Kernels;
using CoDesign.KernelCompiler;
using CoDesign.KernelCompiler.Execution;

namespace CoDesign.TestSupport;

/// <summary>
/// The compiled module under Icarus, whose every call must also take exactly the cycles the
/// schedule predicts (the interpreter counting each block's steps): a wrong count is a compiler bug
/// as much as a wrong value, so it throws. The conformance tests and the fuzzing benchmark use it. A
/// module with a stall input is stalled in the bench's pseudo-random pattern (<paramref name="stallSeed"/>),
/// and its cycles with stall low must still be the prediction.
/// </summary>
public sealed class TimedRtlBackend(CompiledKernel kernel, int stallSeed = 1) : IKernelBackend
{
    private readonly RtlKernelBackend rtl = new(kernel, stallSeed: stallSeed);

    /// <inheritdoc/>
    public string Name => kernel.Options.Stall ? "rtl, stalled" : "rtl";

    /// <inheritdoc/>
    public KernelOutcome Run(KernelCall call) => RunAll([call])[0];

    /// <inheritdoc/>
    public IReadOnlyList<KernelOutcome> RunAll(IReadOnlyList<KernelCall> calls)
    {
        IReadOnlyList<KernelOutcome> outcomes = rtl.RunAll(calls);
        for (int i = 0; i < calls.Count; i++)
        {
            long? predicted = kernel.Predictor().Run(calls[i]).Cycles;
            if (outcomes[i].Cycles != predicted)
            {
                throw new InvalidOperationException($"{kernel.Signature.Name}: call {i} took {outcomes[i].Cycles} cycles in simulation, the schedule predicts {predicted}");
            }
        }

        return outcomes;
    }

    /// <summary>
    /// Runs <paramref name="calls"/> on two compilations of one kernel (with and without a pass or an option),
    /// requires the same results of every call (throws naming the first that differs), and returns the
    /// cycles each took in all.
    /// </summary>
    public static (long First, long Second) CyclesOfTheSameResults(CompiledKernel first, CompiledKernel second, IReadOnlyList<KernelCall> calls)
    {
        IReadOnlyList<KernelOutcome> a = new TimedRtlBackend(first).RunAll(calls);
        IReadOnlyList<KernelOutcome> b = new TimedRtlBackend(second).RunAll(calls);
        long firstCycles = 0;
        long secondCycles = 0;
        for (int i = 0; i < calls.Count; i++)
        {
            string expected = string.Join("\n", KernelOutcomeText.Lines(second.Signature, b[i], withCycles: false));
            string actual = string.Join("\n", KernelOutcomeText.Lines(first.Signature, a[i], withCycles: false));
            if (actual != expected)
            {
                throw new InvalidOperationException($"{first.Signature.Name}: call {i} differs between the two compilations:\n{actual}\nagainst\n{expected}");
            }

            firstCycles += a[i].Cycles!.Value;
            secondCycles += b[i].Cycles!.Value;
        }

        return (firstCycles, secondCycles);
    }
}
