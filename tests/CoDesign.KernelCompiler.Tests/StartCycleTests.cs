using CoDesign.KernelCompiler.Execution;
using CoDesign.KernelCompiler.Ir;
using CoDesign.KernelCompiler.Scheduling;
using CoDesign.TestSupport;

namespace CoDesign.KernelCompiler.Tests;

/// <summary>
/// A call's fixed cycles: an entry block of one step runs in the cycle that takes <c>start</c> (on the
/// ports), a pipelined loop right after it starts its first iteration there too, and a return after a
/// loop runs in the loop's last cycle. So a loop that handles an element a cycle takes one cycle per
/// element and one more, as the schedule predicts and the RTL does.
/// </summary>
public class StartCycleTests
{
    private static readonly Lazy<KernelSource> Source = new(() => KernelSource.Load(Path.Combine(AppContext.BaseDirectory, "Conformance", "Kernels", "Settled.cs")));

    [Fact]
    public void A_copy_loop_takes_a_cycle_per_element_and_one_more()
    {
        CompiledKernel kernel = KernelCompiler.Compile(Source.Value, "Settled.Copy");
        Assert.True(kernel.Schedules[kernel.Ir.Entry].AtStart);
        BlockSchedule loop = Assert.Single(kernel.Schedules.Values, s => s.Pipeline is not null);
        Assert.True(loop.StartsAtStart);
        Assert.True(loop.ExitInLastCycle);

        var random = new Random(3);
        KernelCall[] calls = [.. new[] { 1, 2, 7, 30 }.Select(n => new KernelCall(kernel.Signature, new Dictionary<string, long[]>
        {
            ["from"] = [.. Enumerable.Range(0, n).Select(_ => (long)random.Next(0, 256))],
            ["to"] = new long[n + random.Next(0, 3)],
        }))];
        using var cpu = new CpuKernelBackend(Source.Value, Source.Value.FindMethod("Settled.Copy"));
        ConformanceCheck.CompareAll([cpu, new TimedRtlBackend(kernel)], calls, "Settled.Copy");

        // TimedRtlBackend held each call's simulated cycles to the prediction: no second simulation for them.
        IrInterpreter predictor = kernel.Predictor();
        Assert.Equal([2, 3, 8, 31], calls.Select(c => predictor.Run(c).Cycles ?? -1));
    }

    [Fact]
    public void The_start_cycle_reads_the_ports_while_the_registers_latch_them()
    {
        CompiledKernel kernel = KernelCompiler.Compile(Source.Value, "Settled.Copy");
        Assert.Contains("from_length_at_start", kernel.Verilog, StringComparison.Ordinal);
        Assert.Contains("// block 0 runs now, on the ports", kernel.Verilog, StringComparison.Ordinal);
        Assert.Contains("the first iteration of block 1 starts now", kernel.Verilog, StringComparison.Ordinal);
    }
}
