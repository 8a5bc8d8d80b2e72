using CoDesign.Hardware.Kernels;
using CoDesign.KernelCompiler;
using CoDesign.KernelCompiler.Execution;

namespace CoDesign.Benchmarks.Kernels;

/// <summary>
/// A compiled kernel under Icarus whose every call must also take the cycles its schedule predicts;
/// a wrong count is a compiler bug as much as a wrong value, so it throws (and the fuzzer reports it).
/// </summary>
internal sealed class TimedRtlBackend(CompiledKernel kernel) : IKernelBackend
{
    private readonly RtlKernelBackend rtl = new(kernel, KernelSimulator.Icarus);

    public string Name => "rtl";

    public KernelOutcome Run(KernelCall call) => RunAll([call])[0];

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
}
