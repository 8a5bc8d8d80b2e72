using System.Globalization;
using CoDesign.KernelCompiler;
using CoDesign.KernelCompiler.Execution;
using CoDesign.Kernels;
using CoDesign.Model;
using CoDesign.Runtime.Devices.Emulator;
using Xunit.Abstractions;

namespace CoDesign.Hardware.Tests.Compute;

/// <summary>
/// hardware/rtl/pe.v over one PE's CCS slice computes exactly what SparseMatVec.MultiplyAccumulate
/// computes (every accumulator bit, and the entries consumed), and keeps up one entry per cycle; so does
/// hardware/rtl/compiled_pe.v, whose datapath is that kernel compiled (the same bench and test bodies),
/// in the cycles its schedule predicts.
/// </summary>
public class PeRtlTests(ITestOutputHelper output)
{
    private static readonly string[] PeRtl = ["pe.v", "broadcast_fifo.v", "shift_add_multiplier_recode16.v", "shift_add_multiplier_multiply_activation.v", "dsp_multiplier.v"];

    /// <summary>compiled_pe.v and what it holds; the bench names pe.v's sources too.</summary>
    private static readonly string[] CompiledPeRtl = [.. PeRtl, "compiled_pe.v", "sparse_stream_reader.v", "sparse_mat_vec_multiply_accumulate.v"];

    /// <summary>Codebook values over the whole int16 range, the extremes included.</summary>
    private static readonly short[] ExtremeCodebook =
        [0, short.MinValue, short.MaxValue, -1, 1, short.MinValue + 1, short.MaxValue - 1, 0x5555, -0x5556, 0x2AAA, -0x2AAB, 255, -256, 0x4000, -0x4000, 7];

    [Theory]
    [InlineData(64, 120, 0.10, 0, false, 1)]
    [InlineData(64, 120, 0.10, 40, true, 2)]     // random broadcast gaps; zero activations broadcast too (the PE drops them)
    [InlineData(16, 200, 0.90, 20, false, 3)]    // short, dense columns: back-to-back updates of the same rows
    [InlineData(1, 300, 0.60, 0, false, 4)]      // one local row: every column has zero or one entry
    [InlineData(200, 60, 0.03, 10, true, 5)]     // long zero runs: many padding entries
    [InlineData(256, 40, 0.50, 0, false, 6)]     // long columns
    [InlineData(37, 90, 0.25, 60, false, 7)]     // local rows not a power of two
    public void RandomSlicesEqualTheKernel(int rows, int cols, double density, int gapPercent, bool broadcastZeros, int seed) =>
        RandomSlice(rows, cols, density, gapPercent, broadcastZeros, seed, useDsp: false);

    /// <summary>The PE around the compiled kernel on the same slices and broadcasts.</summary>
    [Theory]
    [InlineData(64, 120, 0.10, 0, false, 1)]
    [InlineData(64, 120, 0.10, 40, true, 2)]
    [InlineData(16, 200, 0.90, 20, false, 3)]
    [InlineData(1, 300, 0.60, 0, false, 4)]
    [InlineData(200, 60, 0.03, 10, true, 5)]
    [InlineData(256, 40, 0.50, 0, false, 6)]
    [InlineData(37, 90, 0.25, 60, false, 7)]
    public void RandomSlicesOnTheCompiledPeEqualTheKernel(int rows, int cols, double density, int gapPercent, bool broadcastZeros, int seed)
    {
        List<PassResult> results = RandomSlice(rows, cols, density, gapPercent, broadcastZeros, seed, useDsp: false, compiled: true);

        // The compiled array's cost model counts a call's cycles not held as its kernel runs them.
        Assert.All(results, r => Assert.Equal(PeArrayCostModel.CompiledPeBusy(cols, r.Entries), r.Busy));
    }

    /// <summary>The same PE multiplying on the UP5K's SB_MAC16 (Yosys's cell model): the kernel's
    /// results, in exactly the cycles of the shift-add build.</summary>
    [Theory]
    [InlineData(64, 120, 0.10, 40, true, 2)]
    [InlineData(16, 200, 0.90, 20, false, 3)]
    public void RandomSlicesOnTheDspEqualTheKernel(int rows, int cols, double density, int gapPercent, bool broadcastZeros, int seed) =>
        Assert.Equal(
            RandomSlice(rows, cols, density, gapPercent, broadcastZeros, seed, useDsp: false),
            RandomSlice(rows, cols, density, gapPercent, broadcastZeros, seed, useDsp: true));

    /// <summary>The PE with its x and row delay lines in block RAM (EBR_DELAYS, the UP5K's build):
    /// the same results in the same cycles as with flip-flops, on either multiplier.</summary>
    [Theory]
    [InlineData(64, 120, 0.10, 40, true, 2, true)]
    [InlineData(16, 200, 0.90, 20, false, 3, true)]   // back-to-back updates of the same rows: the forwarded sum
    [InlineData(37, 90, 0.25, 60, false, 7, false)]
    public void RandomSlicesWithBlockRamDelaysEqualTheKernel(int rows, int cols, double density, int gapPercent, bool broadcastZeros, int seed, bool useDsp) =>
        Assert.Equal(
            RandomSlice(rows, cols, density, gapPercent, broadcastZeros, seed, useDsp),
            RandomSlice(rows, cols, density, gapPercent, broadcastZeros, seed, useDsp, ebrDelays: true));

    private List<PassResult> RandomSlice(int rows, int cols, double density, int gapPercent, bool broadcastZeros, int seed, bool useDsp, bool ebrDelays = false, bool compiled = false)
    {
        var random = new Random(seed);
        byte[] indices = ComputeBench.RandomIndices(random, rows * cols, density);
        short[] codebook = RandomCodebook(random);
        var passes = Enumerable.Range(0, 3).Select(_ => RandomActivations(random, cols, 0.5)).ToList();
        (byte[] entries, int[] pointers) = EncodeLocal(indices, rows, cols);
        return RunPe(entries, pointers, rows, codebook, passes, gapPercent, broadcastZeros, seed, useDsp, ebrDelays, compiled);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AdversarialColumnsEqualTheKernel(bool compiled)
    {
        // 64 local rows; each column is a pattern of nonzero rows that stresses the CCS decoding.
        const int rows = 64;
        int[][] patterns =
        [
            [],                                    // empty column (broadcast, no entries)
            [0],                                   // one entry at row 0
            [63],                                  // one entry after 63 zeros: 3 paddings, then z=15
            [15],                                  // z = 15 exactly
            [16],                                  // 16 zeros: a padding entry, then z = 0
            [31],                                  // 31 zeros: padding + z = 15
            [32],                                  // 32 zeros: two paddings, z = 0
            [47, 48],                              // 47 zeros, then adjacent rows
            [0, 16, 32, 48],                       // a padding before each
            [15, 31, 47, 63],                      // z = 15 runs back to back
            Enumerable.Range(0, 64).ToArray(),     // every row: the longest column
            [0],                                   // same row as the previous column's first entry ...
            [0],                                   // ... and again: forwarding across columns
            [63],
            [63],                                  // the last row twice in a row
            [1, 2, 3],
            [3],                                   // last row of the previous column is the first row of this one
            [],
            [],
            [5],
        ];
        int cols = patterns.Length;
        var indices = new byte[rows * cols];
        for (int j = 0; j < cols; j++)
        {
            foreach (int r in patterns[j])
            {
                indices[(r * cols) + j] = (byte)(1 + ((r + j) % 15));
            }
        }

        // A nonzero codebook[0] makes every padding entry count, so padding rows are checked too.
        short[] paddingCounts = (short[])ExtremeCodebook.Clone();
        paddingCounts[0] = -12345;
        byte[] all = Enumerable.Range(0, cols).Select(j => (byte)(j % 2 == 0 ? 255 : 1 + j)).ToArray();
        byte[] ones = Enumerable.Repeat((byte)1, cols).ToArray();
        byte[] sparse = Enumerable.Range(0, cols).Select(j => (byte)(j % 3 == 0 ? 0 : 128)).ToArray();
        byte[] none = new byte[cols];
        (byte[] entries, int[] pointers) = EncodeLocal(indices, rows, cols);

        RunPe(entries, pointers, rows, ExtremeCodebook, [all, ones, sparse, none], gapPercent: 0, broadcastZeros: false, seed: 1, compiled: compiled);
        RunPe(entries, pointers, rows, paddingCounts, [all, sparse], gapPercent: 30, broadcastZeros: true, seed: 2, compiled: compiled);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AccumulatorsWrapAroundLikeTheKernel(bool compiled)
    {
        // 600 columns, each with an entry at row 0 and row 1: 600 * 255 * -32768 wraps past -2^31.
        const int rows = 4;
        const int cols = 600;
        var indices = new byte[rows * cols];
        for (int j = 0; j < cols; j++)
        {
            indices[j] = 1;                    // codebook[1] = -32768
            indices[cols + j] = 2;             // codebook[2] = 32767
        }

        byte[] x = Enumerable.Repeat((byte)255, cols).ToArray();
        (byte[] entries, int[] pointers) = EncodeLocal(indices, rows, cols);
        List<PassResult> results = RunPe(entries, pointers, rows, ExtremeCodebook, [x], gapPercent: 0, broadcastZeros: false, seed: 1, compiled: compiled);
        Assert.Equal(1200, results[0].Entries);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ASliceThatFillsItsEntryMemoryExactly(bool compiled)
    {
        // 64 entries in a 6-bit entry memory: the final pointer (64) wraps to 0 in the PE's address width.
        const int rows = 16;
        const int cols = 8;
        var indices = new byte[rows * cols];
        for (int i = 0; i < indices.Length; i++)
        {
            indices[i] = (byte)(1 + (i % 15));   // dense: 16 entries per column ... 8 columns = 128
        }

        for (int r = 8; r < rows; r++)
        {
            for (int j = 0; j < cols; j++)
            {
                indices[(r * cols) + j] = 0;     // ... keep rows 0..7: 8 entries per column, 64 in all
            }
        }

        (byte[] entries, int[] pointers) = EncodeLocal(indices, rows, cols);
        Assert.Equal(64, entries.Length);
        var random = new Random(3);
        RunPe(entries, pointers, rows, RandomCodebook(random), [RandomActivations(random, cols, 0.0), RandomActivations(random, cols, 0.5)], 0, false, 1, compiled: compiled);
    }

    /// <summary>
    /// A layer's rows from row_base on (a column block's later input of a batch), and the row fault when
    /// an entry lands at or past the layer's rows: the C# kernel throws on such an entry, the PE flags it.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RowsStartAtTheRowBaseAndAnEntryPastTheRowsFaults(bool compiled)
    {
        const int rows = 20;
        const int rowBase = 7;
        var random = new Random(11);
        byte[] indices = ComputeBench.RandomIndices(random, rows * 50, 0.3);

        (byte[] entries, int[] pointers) = EncodeLocal(indices, rows, 50);
        short[] codebook = RandomCodebook(random);
        // Only the last row's columns decide whether a pass reaches that row.
        byte[][] passes = [.. Enumerable.Range(0, 4).Select(p => Enumerable.Range(0, 50).Select(j => (byte)(indices[((rows - 1) * 50) + j] != 0 ? (p % 2) * 9 : 1 + ((j * p) % 200))).ToArray())];

        Assert.All(RunPe(entries, pointers, rows, codebook, passes, 20, false, 3, compiled: compiled, rowBase: rowBase), r => Assert.False(r.RowFault));
        bool[] expected = [.. passes.Select(x => Throws(() => SparseMatVec.MultiplyAccumulate(entries, pointers, codebook, x, new int[rows - 1])))];
        Assert.Equal([false, true, false, true], expected);
        Assert.Equal(expected, RunPe(entries, pointers, rows, codebook, passes, 20, false, 3, compiled: compiled, rowBase: rowBase, limitRows: rowBase + rows - 1).Select(r => r.RowFault));
    }

    /// <summary>
    /// Broadcasts in descending column order: pe.v sums them all the same (it takes any order), while the
    /// compiled PE's kernel reads its columns in order, so it flags the broadcast as a fault.
    /// </summary>
    [Fact]
    public void ABroadcastOutOfColumnOrderFaultsTheCompiledPe()
    {
        var random = new Random(13);
        byte[] indices = ComputeBench.RandomIndices(random, 16 * 40, 0.3);

        (byte[] entries, int[] pointers) = EncodeLocal(indices, 16, 40);
        short[] codebook = RandomCodebook(random);
        List<byte[]> passes = [RandomActivations(random, 40, 0.5), RandomActivations(random, 40, 0.5)];

        Assert.All(RunPe(entries, pointers, 16, codebook, passes, 0, false, 1, descending: true), r => Assert.False(r.RowFault));
        Assert.All(RunPe(entries, pointers, 16, codebook, passes, 0, false, 1, compiled: true), r => Assert.False(r.RowFault));
        // A faulting pass's sums are not the layer's, so only its fault is checked.
        Assert.All(RunPe(entries, pointers, 16, codebook, passes, 0, false, 1, compiled: true, descending: true, checkSums: false), r => Assert.True(r.RowFault));
    }

    private static bool Throws(Action action)
    {
        try
        {
            action();
            return false;
        }
        catch (IndexOutOfRangeException)
        {
            return true;
        }
    }

    [Fact]
    public void RealLayerSlicesKeepUpOneEntryPerCycle()
    {
        foreach ((SparseLayer layer, List<byte[]> inputs, string name) in ComputeBench.ShippedLayers(4))
        {
            CcsSlice slice = layer.Weights.Slices[0];
            int localRows = CcsEncoder.LocalRowCount(layer.Rows, layer.Weights.PeCount, 0);
            List<PassResult> results = RunPe(slice.Entries, slice.Pointers, localRows, layer.Codebook, inputs, 0, false, 1);

            long entries = results.Sum(r => r.Entries);
            long busy = results.Sum(r => r.Busy);
            long modelBusy = inputs.Sum(x => CostModelBusy(slice.Pointers, x));
            long broadcasts = inputs.Sum(x => x.Count(v => v != 0));
            double perCycle = (double)entries / busy;
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{name}, PE 0 of {layer.Weights.PeCount} ({localRows} rows, {slice.EntryCount} entries), {inputs.Count} images: {entries} entries in {busy} busy cycles = {perCycle:F3} entries/cycle; {(double)entries / broadcasts:F2} entries per broadcast; cost model busy {modelBusy}"));
            Assert.True(perCycle >= 0.9, $"{name}: {perCycle:F3} entries per cycle");
            // The cost model charges max(1, n) per broadcast; the PE skips empty columns in the pointer stage.
            Assert.InRange(busy, entries, modelBusy + (CostModelPipeline * inputs.Count));
        }
    }

    /// <summary>
    /// The PE around the compiled kernel on the shipped model's real slices: the C#'s sums, and its kernel
    /// runs, not counting the cycles it waits for a broadcast, exactly the cycles its schedule predicts.
    /// </summary>
    [Fact]
    public void RealLayerSlicesOnTheCompiledPeTakeThePredictedCycles()
    {
        CompiledKernel kernel = ComputeBench.CompiledPe.Value;
        IKernelBackend predictor = kernel.Predictor();

        foreach ((SparseLayer layer, List<byte[]> inputs, string name) in ComputeBench.ShippedLayers(4))
        {
            CcsSlice slice = layer.Weights.Slices[0];
            int localRows = CcsEncoder.LocalRowCount(layer.Rows, layer.Weights.PeCount, 0);
            List<PassResult> results = RunPe(slice.Entries, slice.Pointers, localRows, layer.Codebook, inputs, 0, false, 1, compiled: true);
            long[] predicted = [.. inputs.Select(x => predictor.Run(ComputeBench.PeCall(kernel, slice, layer.Codebook, x, localRows)).Cycles ?? -1)];
            Assert.Equal(predicted, results.Select(r => r.Busy));
            Assert.Equal(predicted, inputs.Select(x => PeArrayCostModel.CompiledPeBusy(x.Length, SparseMatVec.CountWork(slice.Pointers, x))));

            // Against pe.v on the same broadcasts, first broadcast to idle: the bar for the PE is 1.15x.
            long hand = RunPe(slice.Entries, slice.Pointers, localRows, layer.Codebook, inputs, 0, false, 1).Sum(r => r.Cycles);
            double ratio = (double)results.Sum(r => r.Cycles) / hand;
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{name}, PE 0 of {layer.Weights.PeCount}, {inputs.Count} images: {results.Sum(r => r.Entries)} entries; the kernel ran {results.Sum(r => r.Busy)} cycles not held, as predicted; first broadcast to idle {results.Sum(r => r.Cycles)} cycles, pe.v {hand} ({ratio:F3}x)"));
            Assert.True(ratio <= 1.15, $"{name}: {ratio:F3}x pe.v's cycles");
        }
    }

    /// <summary>Cycles the PE may take past the cost model's busy count per pass: pipeline fill and drain.</summary>
    private const int CostModelPipeline = 16;

    private sealed record PassResult(long Cycles, long Busy, long Entries, bool RowFault);

    private static List<PassResult> RunPe(byte[] entries, int[] pointers, int localRows, short[] codebook, IReadOnlyList<byte[]> passes, int gapPercent, bool broadcastZeros, int seed, bool useDsp = false, bool ebrDelays = false, bool compiled = false, int rowBase = 0, int limitRows = 0, bool descending = false, bool checkSums = true)
    {
        int cols = pointers.Length - 1;
        Assert.True(entries.Length < 65536, "pointers are 16 bits wide in the bench");
        using var folder = new BenchFolder("pe");
        ComputeBench.WriteHex(folder, "pe_entries.hex", entries.Select(e => (ulong)e), 2);
        ComputeBench.WriteHex(folder, "pe_pointers.hex", pointers.Select(p => (ulong)p), 4);
        ComputeBench.WriteHex(folder, "pe_codebook.hex", codebook.Select(c => (ulong)(ushort)c), 4);
        ComputeBench.WriteHex(folder, "pe_acts.hex", passes.SelectMany(p => p).Select(x => (ulong)x), 2);
        List<string> lines = ComputeBench.Run("pe_tb", compiled ? CompiledPeRtl : PeRtl, folder, new Dictionary<string, string>
        {
            ["COLS"] = ComputeBench.Text(cols),
            ["ENTRY_COUNT"] = ComputeBench.Text(Math.Max(1, entries.Length)),
            ["LOCAL_ROWS"] = ComputeBench.Text(localRows),
            ["ROW_BITS"] = ComputeBench.Text(Math.Max(4, ComputeBench.BitsFor(rowBase + localRows))),
            ["ENTRY_ADDR_BITS"] = ComputeBench.Text(ComputeBench.BitsFor(Math.Max(2, entries.Length))),
            ["COL_BITS"] = ComputeBench.Text(ComputeBench.BitsFor(cols + 1)),
            ["PASSES"] = ComputeBench.Text(passes.Count),
            ["GAP_PERCENT"] = ComputeBench.Text(gapPercent),
            ["BROADCAST_ZEROS"] = broadcastZeros ? "1" : "0",
            ["SEED"] = ComputeBench.Text(seed),
            ["USE_DSP"] = useDsp ? "1" : "0",
            ["EBR_DELAYS"] = ebrDelays ? "1" : "0",
            ["COMPILED"] = compiled ? "1" : "0",
            ["ROW_BASE"] = ComputeBench.Text(rowBase),
            ["LIMIT_ROWS"] = ComputeBench.Text(limitRows),
            ["DESCENDING"] = descending ? "1" : "0",
        }, useDsp ? [HardwareSources.Ice40CellModels] : null);

        var expected = new List<string>();
        var consumed = new List<long>();
        for (int p = 0; p < passes.Count; p++)
        {
            var acc = new int[localRows];
            consumed.Add(SparseMatVec.MultiplyAccumulate(entries, pointers, codebook, passes[p], acc));
            for (int r = 0; r < localRows; r++)
            {
                expected.Add(string.Create(CultureInfo.InvariantCulture, $"ACC {p} {r} {ComputeBench.Hex8(acc[r])}"));
            }
        }

        if (checkSums)
        {
            Assert.Equal(expected, ComputeBench.Only(lines, "ACC"));
        }

        var results = new List<PassResult>();
        List<string> faults = ComputeBench.Only(lines, "FAULT");
        foreach ((string line, int p) in ComputeBench.Only(lines, "PASS").Select((l, p) => (l, p)))
        {
            // PASS <p> CYCLES <n> BUSY <b> ENTRIES <m>, then FAULT <p> <0|1>
            string[] f = line.Split(' ');
            results.Add(new PassResult(long.Parse(f[3], CultureInfo.InvariantCulture), long.Parse(f[5], CultureInfo.InvariantCulture), long.Parse(f[7], CultureInfo.InvariantCulture), faults[p].EndsWith(" 1", StringComparison.Ordinal)));
        }

        if (checkSums)
        {
            Assert.Equal(consumed, results.Select(r => r.Entries).ToList());
        }

        return results;
    }

    /// <summary>A one-PE slice of a row-major local index matrix, encoded by the kernel.</summary>
    private static (byte[] Entries, int[] Pointers) EncodeLocal(byte[] indices, int rows, int cols)
    {
        var entries = new byte[CcsEncoder.CountSliceEntries(indices, rows, cols, 1, 0)];
        var pointers = new int[cols + 1];
        CcsEncoder.EncodeSlice(indices, rows, cols, 1, 0, entries, pointers);
        return (entries, pointers);
    }

    private static short[] RandomCodebook(Random random)
    {
        var codebook = new short[CcsEntry.CodebookSize];
        for (int c = 1; c < codebook.Length; c++)
        {
            codebook[c] = (short)random.Next(short.MinValue, short.MaxValue + 1);
        }

        return codebook;
    }

    private static byte[] RandomActivations(Random random, int cols, double zeroFraction) =>
        Enumerable.Range(0, cols).Select(_ => random.NextDouble() < zeroFraction ? (byte)0 : (byte)random.Next(1, 256)).ToArray();

    /// <summary>The cost model's busy cycles for one PE: max(1, entries) per broadcast column.</summary>
    private static long CostModelBusy(int[] pointers, byte[] x)
    {
        long busy = 0;
        for (int j = 0; j < x.Length; j++)
        {
            if (x[j] != 0)
            {
                busy += Math.Max(1, pointers[j + 1] - pointers[j]);
            }
        }

        return busy;
    }
}
