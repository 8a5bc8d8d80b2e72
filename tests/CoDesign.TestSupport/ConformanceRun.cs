using CoDesign.KernelCompiler;
using CoDesign.KernelCompiler.Execution;
using CoDesign.KernelCompiler.Signature;
using Microsoft.CodeAnalysis;

namespace CoDesign.TestSupport;

/// <summary>
/// The body every conformance test runs: generated calls of one kernel on the CPU as the reference and
/// on the back ends that must match it (the compiler's IR and RTL in the compiler tests, ILGPU in the GPU
/// tests). The back ends differ; the body is this one.
/// </summary>
public static class ConformanceRun
{
    /// <summary>
    /// Runs <paramref name="count"/> generated calls (seeded by <paramref name="seed"/>) on the CPU and on
    /// every back end <paramref name="others"/> makes, and compares them; a back end that throws fails too.
    /// <paramref name="cpu"/> is a CPU backend compiled already (a corpus file's kernels are compiled at
    /// once), else one is compiled here. With <paramref name="sameErrors"/>, a call the CPU throws on must
    /// fail with the same message elsewhere (for kernels whose generated inputs may be out of their
    /// domain). <paramref name="domain"/>, when given, keeps only the calls it accepts (a kernel's
    /// documented preconditions, where breaking them makes the CPU loop for hours). Disposes what it created. <paramref name="context"/> (a generated kernel's listing) goes
    /// into failures.
    /// </summary>
    public static void Check(
        KernelSource source,
        IMethodSymbol method,
        int count,
        int seed,
        Func<KernelSource, IMethodSymbol, IReadOnlyList<IKernelBackend>> others,
        string? context = null,
        CpuKernelBackend? cpu = null,
        bool sameErrors = false,
        Func<KernelCall, bool>? domain = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(others);
        KernelSignature signature = KernelSignature.Of(method)
            ?? throw new InvalidOperationException($"{method.ToDisplayString()}: signature outside the subset{Environment.NewLine}{context}");
        var created = new List<IKernelBackend>();
        try
        {
            if (cpu is null)
            {
                cpu = new CpuKernelBackend(source, method);
                created.Add(cpu);
            }

            var compared = others(source, method);
            created.AddRange(compared);
            IReadOnlyList<IKernelBackend> backends = [cpu, .. compared];
            var generator = new KernelInputGenerator(seed);
            var calls = domain is null
                ? generator.Calls(signature, count)
                : [.. Enumerable.Range(0, count * 50).Select(_ => generator.Next(signature)).Where(domain).Take(count)];
            if (sameErrors)
            {
                ConformanceCheck.CompareAllWithErrors(backends, calls, context);
            }
            else
            {
                ConformanceCheck.CompareAll(backends, calls, context);
            }
        }
        finally
        {
            foreach (IDisposable backend in created.OfType<IDisposable>())
            {
                backend.Dispose();
            }
        }
    }
}
