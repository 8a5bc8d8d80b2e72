using CoDesign.KernelCompiler.Execution;
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
    public static IReadOnlyList<IKernelBackend> Others(KernelSource source, IMethodSymbol method) => Others(source, method, null);

    /// <summary>The back ends compared with the CPU for one kernel compiled with <paramref name="options"/>.</summary>
    public static IReadOnlyList<IKernelBackend> Others(KernelSource source, IMethodSymbol method, CompileOptions? options)
    {
        CompiledKernel kernel = KernelCompiler.Compile(source, method, options);
        return
        [
            new Ir.IrInterpreter(KernelCompiler.Lower(source, method)),
            new Ir.IrInterpreter(kernel.Ir) { CheckStorage = true },
            new TimedRtlBackend(kernel),
        ];
    }

    /// <summary>
    /// The conformance body (<see cref="ConformanceRun.Check"/>) with these back ends: <paramref name="count"/>
    /// generated calls seeded by <paramref name="seed"/>; <paramref name="cpu"/> a CPU backend compiled
    /// already, if any; <paramref name="context"/> (a generated kernel's listing) goes into failures.
    /// </summary>
    public static void Check(KernelSource source, IMethodSymbol method, int count, int seed, string? context = null, CpuKernelBackend? cpu = null) =>
        ConformanceRun.Check(source, method, count, seed, Others, context, cpu);

    /// <summary>
    /// The same body for the kernel compiled with a stall input (<see cref="CompileOptions.Stall"/>) and run
    /// under Icarus stalled in pseudo-random cycles: the CPU's results, in the predicted cycles counted with
    /// stall low. A kernel that compiles to combinational logic must be refused the input (CDK0202) instead.
    /// </summary>
    public static void CheckStalled(KernelSource source, IMethodSymbol method, int count, int seed, string? context = null, CpuKernelBackend? cpu = null)
    {
        var options = new CompileOptions { Stall = true };
        if (KernelCompiler.Compile(source, method).Shape == KernelShape.Combinational)
        {
            var refused = Assert.Throws<KernelCompileException>(() => KernelCompiler.Compile(source, method, options));
            Assert.Contains(": CDK0202: ", refused.Diagnostics[0].ToString(), StringComparison.Ordinal);
            return;
        }

        CompiledKernel stalled = KernelCompiler.Compile(source, method, options);
        Assert.Contains("input  wire stall", stalled.Verilog, StringComparison.Ordinal);
        ConformanceRun.Check(source, method, count, seed, (_, _) => [new TimedRtlBackend(stalled, seed)], context, cpu);
    }
}
