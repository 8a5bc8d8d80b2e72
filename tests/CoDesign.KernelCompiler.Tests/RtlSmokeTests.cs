using CoDesign.Hardware.Kernels;
using CoDesign.KernelCompiler.Execution;
using CoDesign.TestSupport;

namespace CoDesign.KernelCompiler.Tests;

public class RtlSmokeTests
{
    [Theory]
    [InlineData("ShiftAddMultiplier.cs", "ShiftAddMultiplier.Multiply(int, int, out int)")]
    [InlineData("ShiftAddMultiplier.cs", "ShiftAddMultiplier.MultiplyActivation")]
    [InlineData("Crc32.cs", "Crc32.Update")]
    [InlineData("Requantizer.cs", "Requantizer.ReluShiftSaturate(int, int)")]
    [InlineData("CcsEntry.cs", "CcsEntry.Pack")]
    [InlineData("SparseMatVec.cs", "SparseMatVec.MultiplyAccumulate")]
    public void Kernel_matches_the_interpreter_and_its_predicted_cycles(string file, string method)
    {
        KernelSource source = KernelSource.Load(Path.Combine(LoweringSmokeTests.Kernels, file));
        CompiledKernel kernel = KernelCompiler.Compile(source, method);
        var random = new Random(5);
        var calls = new List<KernelCall>();
        for (int i = 0; i < 8; i++)
        {
            var args = new Dictionary<string, long[]>();
            foreach (var p in kernel.Signature.Parameters)
            {
                if (p.Kind == Signature.KernelParameterKind.Out)
                {
                    continue;
                }

                int n = p.IsSpan ? random.Next(0, 6) : 1;
                args[p.Name] = [.. Enumerable.Range(0, n).Select(_ => p.Type.Normalize(random.NextInt64()) >> random.Next(0, p.Type.Bits))];
            }

            if (method.StartsWith("Requantizer", StringComparison.Ordinal))
            {
                args["shift"] = [random.Next(0, 32)];
            }

            if (method.StartsWith("SparseMatVec", StringComparison.Ordinal))
            {
                args["x"] = [1, 0, 3];
                args["pointers"] = [0, 2, 3, 5];
                args["entries"] = [0x01, 0x12, 0x03, 0x24, 0x05];
                args["codebook"] = [.. Enumerable.Range(0, 16).Select(k => (long)(k * 37 - 300))];
                args["acc"] = [10, 20, 30, 40, 50, 60];
            }

            calls.Add(new KernelCall(kernel.Signature, args));
        }

        var rtl = new RtlKernelBackend(kernel).RunAll(calls);
        for (int i = 0; i < calls.Count; i++)
        {
            KernelOutcome expected = kernel.Predictor().Run(calls[i]);
            KernelOutcome actual = rtl[i];
            Assert.True(expected.Return == actual.Return, $"call {i}: return {expected.Return} vs {actual.Return}\n{kernel.Verilog}");
            foreach ((string name, long[] values) in expected.Results)
            {
                Assert.Equal(values, actual.Results[name]);
            }

            Assert.Equal(expected.Cycles, actual.Cycles);
        }
    }

    /// <summary>
    /// kernels/ WidthConverter.Unpack (the gearbox) as RTL against the C# method itself, on every word
    /// width, value widths from 1 to 32 bits, signed and unsigned, over random memory exactly as long
    /// as the values need: the RTL and the C# must read the same bytes, give the same values and the
    /// same word count, in the cycles the schedule predicts.
    /// </summary>
    [Fact]
    public void Width_unpacking_as_rtl_agrees_with_the_csharp_on_every_width()
    {
        KernelSource source = KernelSource.Load(Path.Combine(LoweringSmokeTests.Kernels, "WidthConverter.cs"));
        var method = source.FindMethod("WidthConverter.Unpack");
        CompiledKernel kernel = KernelCompiler.Compile(source, method);
        var random = new Random(11);
        var calls = new List<KernelCall>();
        foreach (int wordBits in new[] { 8, 16, 32, 64 })
        {
            foreach (int valueBits in new[] { 1, 3, 4, 7, 8, 9, 12, 16, 17, 24, 31, 32 })
            {
                int count = random.Next(0, 10);
                int bytes = (int)CoDesign.Kernels.WidthConverter.ByteCount(count, valueBits, wordBits);
                calls.Add(new KernelCall(kernel.Signature, new Dictionary<string, long[]>
                {
                    ["memory"] = [.. Enumerable.Range(0, bytes).Select(_ => (long)random.Next(0, 256))],
                    ["wordBits"] = [wordBits],
                    ["valueBits"] = [valueBits],
                    ["signed"] = [random.Next(0, 2)],
                    ["values"] = [.. Enumerable.Range(0, count).Select(_ => (long)random.Next(-5, 5))],
                }));
            }
        }

        // Every result and the return must agree, and each call take the predicted cycles (TimedRtlBackend).
        using var cpu = new CpuKernelBackend(source, method);
        ConformanceCheck.CompareAll([cpu, new TimedRtlBackend(kernel)], calls, "WidthConverter.Unpack on every word width");
    }

    /// <summary>
    /// The gearbox with its widths fixed (WidthConverter.UnpackNibbles: Unpack inlined with 32-bit words
    /// of unsigned 4-bit values) folds into a loop the modulo scheduler pipelines: the loop that reads
    /// a value's further bytes is proved never to run and goes, so the RTL gives one value per cycle:
    /// the first iteration starts in the start cycle (with the entry block), and the return runs in the
    /// last iteration's second step (the read's latency), so a call takes its values plus one cycle.
    /// It agrees with the C# on random memory.
    /// </summary>
    [Fact]
    public void Width_unpacking_with_fixed_widths_gives_a_value_every_cycle()
    {
        KernelSource source = KernelSource.Load(Path.Combine(LoweringSmokeTests.Kernels, "WidthConverter.cs"));
        var method = source.FindMethod("WidthConverter.UnpackNibbles");
        CompiledKernel kernel = KernelCompiler.Compile(source, method);
        var random = new Random(5);
        KernelCall[] calls = [.. new[] { 0, 1, 2, 7, 16, 33 }.Select(count => new KernelCall(kernel.Signature, new Dictionary<string, long[]>
        {
            ["memory"] = [.. Enumerable.Range(0, (count + 1) / 2).Select(_ => (long)random.Next(0, 256))],
            ["values"] = new long[count],
        }))];
        using var cpu = new CpuKernelBackend(source, method);
        ConformanceCheck.CompareAll([cpu, new TimedRtlBackend(kernel)], calls, "WidthConverter.UnpackNibbles");
        Assert.Equal(KernelShape.StateMachine, kernel.Shape);
        Assert.Equal(16 + 1, kernel.Predictor().Run(calls[4]).Cycles);   // which TimedRtlBackend held the simulation to above
    }

    /// <summary>A span empty in every call (<c>--arg x=</c>) is a memory the bench never writes: Verilator's lint must not refuse it.</summary>
    [Fact]
    public void A_call_whose_spans_are_empty_runs_as_rtl()
    {
        KernelSource source = KernelSource.Load(Path.Combine(LoweringSmokeTests.Kernels, "SparseMatVec.cs"));
        CompiledKernel kernel = KernelCompiler.Compile(source, "SparseMatVec.MultiplyAccumulate");
        var call = new KernelCall(kernel.Signature, new Dictionary<string, long[]>
        {
            ["entries"] = [],
            ["pointers"] = [0],
            ["codebook"] = [0, 5],
            ["x"] = [],
            ["acc"] = [7],
        });

        KernelOutcome outcome = Assert.Single(new RtlKernelBackend(kernel).RunAll([call]));
        Assert.Equal(0, outcome.Return);
        Assert.Equal([7L], outcome.Results["acc"]);
        Assert.Equal(kernel.Predictor().Run(call).Cycles, outcome.Cycles);
    }
}
