using CoDesign.Hardware.Kernels;
using CoDesign.KernelCompiler.Execution;

namespace CoDesign.KernelCompiler.Tests;

/// <summary>
/// <see cref="CompileOptions.PipelineTag"/>: a pipeline gets <c>in_tag</c>/<c>out_tag</c> (parameter
/// <c>TAG_BITS</c>) and <c>busy</c>; any other shape is refused with CDK0201. That the tag and busy behave
/// (the tag leaves with its operands' product, busy drops when the pipeline is empty) is simulated in
/// the hardware tests (MultiplyActivationRtlTests) on the accelerator's multiplier.
/// </summary>
public class PipelineTagTests
{
    private static KernelSource Multiplier => KernelSource.Load(Path.Combine(LoweringSmokeTests.Kernels, "ShiftAddMultiplier.cs"));

    [Fact]
    public void A_tagged_pipeline_has_the_tag_ports_and_busy()
    {
        CompiledKernel kernel = KernelCompiler.Compile(Multiplier, "ShiftAddMultiplier.MultiplyActivation", new CompileOptions { ClockMhz = 60, PipelineTag = true });

        Assert.Equal(KernelShape.Pipeline, kernel.Shape);
        Assert.Contains("parameter TAG_BITS = 1", kernel.Verilog, StringComparison.Ordinal);
        Assert.Contains("input  wire [TAG_BITS-1:0] in_tag,", kernel.Verilog, StringComparison.Ordinal);
        Assert.Contains("output wire [TAG_BITS-1:0] out_tag,", kernel.Verilog, StringComparison.Ordinal);
        Assert.Contains("assign busy = |valid;", kernel.Verilog, StringComparison.Ordinal);
        // The tag is delayed by as many registers as the outputs are.
        Assert.Contains($"assign out_tag = tag_s{kernel.Latency};", kernel.Verilog, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tagged_pipeline_computes_what_the_kernel_does()
    {
        CompiledKernel kernel = KernelCompiler.Compile(Multiplier, "ShiftAddMultiplier.MultiplyActivation", new CompileOptions { ClockMhz = 60, PipelineTag = true });
        var random = new Random(3);
        var calls = Enumerable.Range(0, 12).Select(_ => new KernelCall(kernel.Signature, new Dictionary<string, long[]>
        {
            ["x"] = [random.Next(256)],
            ["plus"] = [random.Next(65536)],
            ["minus"] = [random.Next(65536)],
        })).ToList();

        IReadOnlyList<KernelOutcome> rtl = new RtlKernelBackend(kernel).RunAll(calls);
        for (int i = 0; i < calls.Count; i++)
        {
            var a = calls[i].Arguments;
            long expected = ShiftAddMultiplierReference((byte)a["x"][0], (ushort)a["plus"][0], (ushort)a["minus"][0]);
            Assert.Equal(expected, rtl[i].Return);
            Assert.Equal(kernel.Latency, rtl[i].Cycles);
        }
    }

    private static long ShiftAddMultiplierReference(byte x, ushort plus, ushort minus) =>
        CoDesign.Kernels.ShiftAddMultiplier.MultiplyActivation(x, plus, minus);

    [Fact]
    public void An_untagged_pipeline_has_no_tag_ports()
    {
        CompiledKernel kernel = KernelCompiler.Compile(Multiplier, "ShiftAddMultiplier.MultiplyActivation", new CompileOptions { ClockMhz = 60 });

        Assert.DoesNotContain("TAG_BITS", kernel.Verilog, StringComparison.Ordinal);
        Assert.DoesNotContain("busy", kernel.Verilog, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ShiftAddMultiplier.Recode16", "combinational logic")]
    [InlineData("ShiftAddMultiplier.Multiply(int, int, out int)", "a state machine")]
    public void Other_shapes_refuse_a_tag(string method, string shape)
    {
        var error = Assert.Throws<KernelCompileException>(() => KernelCompiler.Compile(Multiplier, method, new CompileOptions { PipelineTag = true }));

        Assert.Contains("CDK0201", error.Diagnostics[0].ToString(), StringComparison.Ordinal);
        Assert.Contains(shape, error.Diagnostics[0].ToString(), StringComparison.Ordinal);
    }
}
