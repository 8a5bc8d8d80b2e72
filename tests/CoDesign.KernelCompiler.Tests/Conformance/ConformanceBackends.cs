using CoDesign.KernelCompiler.Execution;
using CoDesign.KernelCompiler.Signature;
using CoDesign.TestSupport;
using Microsoft.CodeAnalysis;

namespace CoDesign.KernelCompiler.Tests.Conformance;

/// <summary>
/// The back ends every conformance test runs a kernel on; the first is the reference the others must
/// match. Add the IR interpreter and the RTL simulation to <see cref="For"/> as they arrive.
/// </summary>
internal static class ConformanceBackends
{
    /// <summary>The back ends for one kernel, the CPU first.</summary>
    public static IReadOnlyList<IKernelBackend> For(KernelSource source, IMethodSymbol method) =>
    [
        new CpuKernelBackend(source, method),
    ];

    /// <summary>
    /// Runs <paramref name="count"/> generated calls (seeded by <paramref name="seed"/>) on every back end
    /// of the kernel and compares them with the CPU; a back end that throws fails too. Disposes the back
    /// ends afterwards. <paramref name="context"/> (a generated kernel's listing) goes into failures.
    /// </summary>
    public static void Check(KernelSource source, IMethodSymbol method, int count, int seed, string? context = null)
    {
        KernelSignature signature = KernelSignature.Of(method)
            ?? throw new InvalidOperationException($"{method.ToDisplayString()}: signature outside the subset{Environment.NewLine}{context}");
        IReadOnlyList<IKernelBackend> backends = For(source, method);
        try
        {
            ConformanceCheck.CompareAll(backends, new KernelInputGenerator(seed).Calls(signature, count), context);
        }
        finally
        {
            foreach (IDisposable backend in backends.OfType<IDisposable>())
            {
                backend.Dispose();
            }
        }
    }
}
