namespace CoDesign.KernelCompiler.Execution;

/// <summary>
/// Something that runs a kernel call: the CPU (the C# itself), the IR interpreter, the RTL simulator.
/// One test body runs against each.
/// </summary>
public interface IKernelBackend
{
    /// <summary>Short name, as <c>--backend</c> takes it.</summary>
    string Name { get; }

    /// <summary>Runs one call and returns what it left behind.</summary>
    KernelOutcome Run(KernelCall call);

    /// <summary>
    /// Runs several calls, in order, and returns their outcomes in the same order. A back end with a
    /// high cost per run (a simulator that builds the design first) implements it to pay that once; by
    /// default it is <see cref="Run"/> per call.
    /// </summary>
    IReadOnlyList<KernelOutcome> RunAll(IReadOnlyList<KernelCall> calls) => [.. calls.Select(Run)];
}
