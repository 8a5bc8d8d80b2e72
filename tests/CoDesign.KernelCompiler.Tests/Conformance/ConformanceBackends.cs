using CoDesign.KernelCompiler.Execution;
using CoDesign.KernelCompiler.Signature;
using CoDesign.TestSupport;
using Microsoft.CodeAnalysis;

namespace CoDesign.KernelCompiler.Tests.Conformance;

/// <summary>
/// The back ends every conformance test runs a kernel on: the CPU as the reference, then those that
/// must match it: the IR as lowered, the optimized IR (every value checked against its narrowed
/// width), and the compiled module under Icarus (its cycles checked against the schedule).
/// </summary>
internal static class ConformanceBackends
{
    /// <summary>The back ends compared with the CPU for one kernel.</summary>
    public static IReadOnlyList<IKernelBackend> Others(KernelSource source, IMethodSymbol method)
    {
        CompiledKernel kernel = KernelCompiler.Compile(source, method);
        return
        [
            new Ir.IrInterpreter(KernelCompiler.Lower(source, method)),
            new Ir.IrInterpreter(kernel.Ir) { CheckStorage = true },
            new TimedRtlBackend(kernel),
        ];
    }

    /// <summary>
    /// Runs <paramref name="count"/> generated calls (seeded by <paramref name="seed"/>) on the CPU and
    /// every other back end and compares them; a back end that throws fails too. <paramref name="cpu"/>
    /// is a CPU backend compiled already (the corpus compiles a file's kernels at once), else one is
    /// compiled here. Disposes what it created. <paramref name="context"/> (a generated kernel's
    /// listing) goes into failures.
    /// </summary>
    public static void Check(KernelSource source, IMethodSymbol method, int count, int seed, string? context = null, CpuKernelBackend? cpu = null)
    {
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

            created.AddRange(Others(source, method));
            IReadOnlyList<IKernelBackend> backends = [cpu, .. created.Where(b => b != cpu)];
            ConformanceCheck.CompareAll(backends, new KernelInputGenerator(seed).Calls(signature, count), context);
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
