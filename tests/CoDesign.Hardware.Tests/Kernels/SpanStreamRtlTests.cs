using System.Globalization;
using CoDesign.Hardware.Tests.Compute;
using CoDesign.KernelCompiler;
using CoDesign.KernelCompiler.Execution;
using CoDesign.Kernels;
using CoDesign.Model;
using CoDesign.Model.Datasets;
using Xunit.Abstractions;

namespace CoDesign.Hardware.Tests.Kernels;

/// <summary>
/// hardware/rtl/span_stream_reader.v and span_stream_writer.v connect a kernel compiled with a stall input
/// (<see cref="CompileOptions.Stall"/>) to streams: the link's CRC kernel (<c>Crc32.Update</c>, compiled
/// from kernels/) takes its bytes as they arrive, with gaps in the stream and other holders of the kernel,
/// <c>WidthConverter.Unpack</c> becomes a stream unpacker, bytes in and values out, with gaps on one
/// side and a busy consumer on the other, and sparse_stream_reader.v gives the PE kernel its activations
/// from a broadcast of the nonzero ones, as the PE array sends them. Each gives the C#'s results in the
/// cycles the schedule predicts for memories that always answer (counted with the kernel not held).
/// </summary>
public class SpanStreamRtlTests(ITestOutputHelper output)
{
    private static readonly int[] Lengths = [0, 1, 7, 300, 64, 2];

    [Theory]
    [InlineData(0, 0)]
    [InlineData(30, 0)]
    [InlineData(0, 30)]
    [InlineData(50, 25)]
    public void The_crc_kernel_takes_its_bytes_from_a_stream(int gapPercent, int holdPercent)
    {
        CompiledKernel kernel = Compile(KernelSource.Load(Path.Combine(HardwareSources.Root, "..", "kernels", "Crc32.cs")), "Crc32.Update");
        var random = new Random(gapPercent * 100 + holdPercent);
        byte[][] data = [.. Lengths.Select(n => Enumerable.Range(0, n).Select(_ => (byte)random.Next(256)).ToArray())];

        List<Result> results = Run(kernel, data, gapPercent, holdPercent);

        Assert.Equal(Lengths.Length, results.Count);
        for (int call = 0; call < data.Length; call++)
        {
            Assert.Equal(Crc32.Update(0xFFFFFFFF, data[call]), results[call].Value);
            Assert.False(results[call].OrderFault, $"call {call}: a read out of order");
            Assert.Equal(data[call].Length, results[call].Taken);
            Assert.Equal(kernel.Predictor().Run(Call(kernel, data[call])).Cycles, results[call].Cycles);
        }
    }

    [Fact]
    public void A_kernel_that_reads_its_span_backwards_is_told_it_needs_a_memory()
    {
        const string Source = """
            using System;

            /// <summary>Reads its span from the end: a stream cannot give that.</summary>
            public static class Backwards
            {
                /// <summary>XORs the bytes into the seed, last byte first.</summary>
                public static uint Fold(uint crc, ReadOnlySpan<byte> data)
                {
                    for (int i = data.Length - 1; i >= 0; i--)
                    {
                        crc = (crc << 1) ^ data[i];
                    }

                    return crc;
                }
            }
            """;
        CompiledKernel kernel = Compile(KernelSource.Parse(Source, "Backwards.cs"), "Backwards.Fold");

        List<Result> results = Run(kernel, [[1], [1, 2, 3, 4, 5]], gapPercent: 20, holdPercent: 20);

        Assert.False(results[0].OrderFault);   // one byte: index 0 is the next one
        Assert.Equal((0xFFFFFFFFu << 1) ^ 1u, results[0].Value);
        Assert.True(results[1].OrderFault);
    }

    [Theory]
    [InlineData(32, 4, false, 0, 0)]
    [InlineData(32, 4, false, 30, 30)]
    [InlineData(8, 3, true, 40, 20)]
    [InlineData(64, 17, true, 20, 50)]
    [InlineData(16, 32, false, 25, 25)]
    public void The_unpacker_kernel_turns_a_byte_stream_into_a_value_stream(int wordBits, int valueBits, bool signed, int gapPercent, int busyPercent)
    {
        CompiledKernel kernel = Compile(KernelSource.Load(Path.Combine(HardwareSources.Root, "..", "kernels", "WidthConverter.cs")), "WidthConverter.Unpack");
        var random = new Random((wordBits * 100) + valueBits);
        int[] counts = [16, 1, 0, 37];
        byte[][] memories = [.. counts.Select(n => Enumerable.Range(0, (int)WidthConverter.ByteCount(n, valueBits, wordBits)).Select(_ => (byte)random.Next(256)).ToArray())];

        using var folder = new BenchFolder("span-stream-unpack");
        File.WriteAllText(Path.Combine(folder.Path, kernel.ModuleName + ".v"), kernel.Verilog);
        ComputeBench.WriteHex(folder, "stream_bytes.hex", memories.SelectMany(m => m).Select(b => (ulong)b), 2);
        ComputeBench.WriteHex(folder, "stream_lengths.hex", memories.Select(m => (ulong)m.Length), 5);
        ComputeBench.WriteHex(folder, "stream_counts.hex", counts.Select(n => (ulong)n), 5);
        var parameters = new Dictionary<string, string>
        {
            ["CALLS"] = ComputeBench.Text(counts.Length),
            ["BYTES"] = ComputeBench.Text(Math.Max(1, memories.Sum(m => m.Length))),
            ["WORD_BITS"] = ComputeBench.Text(wordBits),
            ["VALUE_BITS"] = ComputeBench.Text(valueBits),
            ["SIGNED"] = signed ? "1" : "0",
            ["GAP_PERCENT"] = ComputeBench.Text(gapPercent),
            ["BUSY_PERCENT"] = ComputeBench.Text(busyPercent),
        };
        List<string> lines = ComputeBench.Run("span_stream_writer_tb", ["span_stream_reader.v", "span_stream_writer.v"], folder, parameters, [Path.Combine(folder.Path, kernel.ModuleName + ".v")]);

        for (int call = 0; call < counts.Length; call++)
        {
            var expected = new int[counts[call]];
            long words = WidthConverter.Unpack(memories[call], wordBits, valueBits, signed, expected);
            int[] values = [.. ComputeBench.Only(lines, "V").Select(l => l.Split(' ')).Where(p => p[1] == ComputeBench.Text(call))
                .Select(p => unchecked((int)uint.Parse(p[3], CultureInfo.InvariantCulture)))];
            string[] result = ComputeBench.Only(lines, "R").Select(l => l.Split(' ')).Single(p => p[1] == ComputeBench.Text(call));
            Assert.Equal(expected, values);
            Assert.Equal(words, long.Parse(result[2], CultureInfo.InvariantCulture));
            Assert.Equal(("0", "0"), (result[4], result[5]));
            // The kernel reads only the bytes its values cover, not the rest of the last word.
            Assert.Equal(((counts[call] * valueBits) + 7) / 8, int.Parse(result[6], CultureInfo.InvariantCulture));
            KernelCall predicted = KernelArguments.Parse(kernel.Signature, [
                "memory=" + string.Join(",", memories[call]), $"wordBits={wordBits}", $"valueBits={valueBits}", $"signed={(signed ? 1 : 0)}", "values=" + string.Join(",", expected.Select(_ => 0))]);
            Assert.Equal(kernel.Predictor().Run(predicted).Cycles, long.Parse(result[3], CultureInfo.InvariantCulture));
        }
    }

    /// <summary>
    /// The PE kernel, compiled for 44 MHz as the comparison with pe.v has it, takes its inputs as a PE of the
    /// array would: the activations from the broadcast of the nonzero ones with their columns
    /// (sparse_stream_reader.v fills in the zeros), the column pointers from a 16-bit pointer bank; on the
    /// shipped model's first layer, PE 0's slice, with a test image, no activation, or only the first and last.
    /// </summary>
    [Theory]
    [InlineData("image", 0)]
    [InlineData("image", 30)]
    [InlineData("zeros", 30)]
    [InlineData("ends", 50)]
    public void The_pe_kernel_takes_the_broadcast_of_its_nonzero_activations(string activations, int gapPercent)
    {
        byte[] x = FashionMnist.LoadTest().Image(0).ToArray();
        if (activations != "image")
        {
            Array.Clear(x);
        }

        if (activations == "ends")
        {
            (x[0], x[^1]) = (200, 7);
        }

        (int[] expected, long consumed, KernelCall call) = PeReference(x);
        int[][] broadcast = Broadcast(x);
        PeStreamRun run = RunStreamedPe(x, broadcast, gapPercent);

        Assert.Equal(expected, run.Accumulators);
        Assert.Equal(consumed, run.Result);
        Assert.False(run.OrderFault);
        Assert.Equal(broadcast.Length, run.Taken);
        Assert.Equal(ComputeBench.CompiledPe.Value.Predictor().Run(call).Cycles, run.Cycles);
        output.WriteLine($"{activations}: {broadcast.Length} of {x.Length} activations broadcast, {consumed} entries: {run.Cycles} cycles not held, {run.AllCycles} in all with {gapPercent} % gaps");
    }

    [Fact]
    public void A_broadcast_that_repeats_a_column_is_an_order_fault()
    {
        byte[] x = FashionMnist.LoadTest().Image(0).ToArray();
        int[][] broadcast = Broadcast(x);
        PeStreamRun run = RunStreamedPe(x, [.. broadcast.Take(3), broadcast[2], .. broadcast.Skip(3)], 0);

        Assert.True(run.OrderFault);
    }

    private static readonly Lazy<SparseLayer> FirstLayer = new(() =>
        ModelFile.Read(Path.Combine(HardwareSources.Root, "..", "host", "models", "fashion-mnist-mlp.cdsm")).Layers[0]);

    /// <summary>The array's broadcast of <paramref name="x"/>: a (column, value) pair for each nonzero activation, in column order.</summary>
    private static int[][] Broadcast(byte[] x) => [.. x.Select((v, j) => new[] { j, (int)v }).Where(p => p[1] != 0)];

    /// <summary>The C#'s accumulators and entry count on PE 0's slice of the first layer for <paramref name="x"/>, and that call for the predictor.</summary>
    private static (int[] Accumulators, long Consumed, KernelCall Call) PeReference(byte[] x)
    {
        SparseLayer layer = FirstLayer.Value;
        CcsSlice slice = layer.Weights.Slices[0];
        var expected = new int[CcsEncoder.LocalRowCount(layer.Rows, layer.Weights.PeCount, 0)];
        long consumed = SparseMatVec.MultiplyAccumulate(slice.Entries, slice.Pointers, layer.Codebook, x, expected);
        return (expected, consumed, ComputeBench.PeCall(ComputeBench.CompiledPe.Value, slice, layer.Codebook, x, expected.Length));
    }

    /// <summary>hardware/tb/sparse_stream_reader_tb.v on PE 0's slice: <paramref name="broadcast"/> is the stream of (column, value) pairs as sent.</summary>
    private static PeStreamRun RunStreamedPe(byte[] x, int[][] broadcast, int gapPercent)
    {
        SparseLayer layer = FirstLayer.Value;
        CcsSlice slice = layer.Weights.Slices[0];
        CompiledKernel kernel = ComputeBench.CompiledPe.Value;
        int rows = CcsEncoder.LocalRowCount(layer.Rows, layer.Weights.PeCount, 0);
        using var folder = new BenchFolder("sparse-stream");
        File.WriteAllText(Path.Combine(folder.Path, kernel.ModuleName + ".v"), kernel.Verilog);
        ComputeBench.WriteHex(folder, "pek_entries.hex", slice.Entries.Select(e => (ulong)e), 2);
        ComputeBench.WriteHex(folder, "pek_pointers.hex", slice.Pointers.Select(p => (ulong)checked((ushort)p)), 4);
        ComputeBench.WriteHex(folder, "pek_codebook.hex", layer.Codebook.Select(c => (ulong)(ushort)c), 4);
        ComputeBench.WriteHex(folder, "pek_stream.hex", broadcast.Select(b => (ulong)((b[0] << 8) | b[1])), 6);
        var parameters = new Dictionary<string, string>
        {
            ["COLS"] = ComputeBench.Text(x.Length),
            ["ENTRY_COUNT"] = ComputeBench.Text(slice.Entries.Length),
            ["ROWS"] = ComputeBench.Text(rows),
            ["STREAM_COUNT"] = ComputeBench.Text(broadcast.Length),
            ["GAP_PERCENT"] = ComputeBench.Text(gapPercent),
        };
        List<string> lines = ComputeBench.Run("sparse_stream_reader_tb", ["sparse_stream_reader.v"], folder, parameters, [Path.Combine(folder.Path, kernel.ModuleName + ".v")]);
        string[] result = ComputeBench.Only(lines, "R").Single().Split(' ');
        return new PeStreamRun(
            [.. ComputeBench.Only(lines, "A").Select(l => unchecked((int)uint.Parse(l.Split(' ')[2], CultureInfo.InvariantCulture)))],
            long.Parse(result[1], CultureInfo.InvariantCulture),
            long.Parse(result[2], CultureInfo.InvariantCulture),
            result[3] == "1",
            int.Parse(result[4], CultureInfo.InvariantCulture),
            long.Parse(result[5], CultureInfo.InvariantCulture));
    }

    private static CompiledKernel Compile(KernelSource source, string method) =>
        KernelCompiler.KernelCompiler.Compile(source, method, new CompileOptions { Stall = true });

    private static KernelCall Call(CompiledKernel kernel, byte[] data) =>
        KernelArguments.Parse(kernel.Signature, ["crc=4294967295", "data=" + string.Join(",", data)]);

    private static List<Result> Run(CompiledKernel kernel, byte[][] data, int gapPercent, int holdPercent)
    {
        using var folder = new BenchFolder("span-stream");
        // The bench instantiates the kernel as stream_kernel.
        File.WriteAllText(Path.Combine(folder.Path, "stream_kernel.v"), kernel.Verilog.Replace($"module {kernel.ModuleName} (", "module stream_kernel (", StringComparison.Ordinal));
        ComputeBench.WriteHex(folder, "stream_bytes.hex", data.SelectMany(d => d).Select(b => (ulong)b), 2);
        ComputeBench.WriteHex(folder, "stream_lengths.hex", data.Select(d => (ulong)d.Length), 5);
        var parameters = new Dictionary<string, string>
        {
            ["CALLS"] = ComputeBench.Text(data.Length),
            ["BYTES"] = ComputeBench.Text(Math.Max(1, data.Sum(d => d.Length))),
            ["GAP_PERCENT"] = ComputeBench.Text(gapPercent),
            ["HOLD_PERCENT"] = ComputeBench.Text(holdPercent),
        };
        List<string> lines = ComputeBench.Run("span_stream_reader_tb", ["span_stream_reader.v"], folder, parameters, [Path.Combine(folder.Path, "stream_kernel.v")]);
        return [.. ComputeBench.Only(lines, "R").Select(l => l.Split(' ')).Select(p => new Result(
            uint.Parse(p[2], CultureInfo.InvariantCulture), long.Parse(p[3], CultureInfo.InvariantCulture), p[4] == "1", int.Parse(p[5], CultureInfo.InvariantCulture)))];
    }

    private sealed record Result(uint Value, long Cycles, bool OrderFault, int Taken);

    private sealed record PeStreamRun(int[] Accumulators, long Result, long Cycles, bool OrderFault, int Taken, long AllCycles);
}
