using System.Globalization;
using CoDesign.Kernels;
using CoDesign.Model;
using CoDesign.Runtime.Devices.Emulator;
using Xunit.Abstractions;

namespace CoDesign.Hardware.Tests.Compute;

/// <summary>
/// hardware/rtl/pe_array.v runs a whole layer over its PEs, each reading its pointers and entries
/// from its own memory lane (modelled by the bench): every PE's accumulators equal
/// SparseMatVec.MultiplyAccumulate over that PE's slice, and the layer takes about as many cycles
/// as the cost model's slowest PE.
/// </summary>
public class PeArrayRtlTests(ITestOutputHelper output)
{
    private static readonly string[] ArrayRtl = ["pe_array.v", "pe.v", "broadcast_fifo.v", "shift_add_multiplier_recode16.v", "shift_add_multiplier_multiply_activation.v"];

    /// <summary>The array built from compiled_pe.v (COMPILED_PE = 1) and what that holds.</summary>
    private static readonly string[] CompiledArrayRtl = [.. ArrayRtl, "compiled_pe.v", "sparse_stream_reader.v", "sparse_mat_vec_multiply_accumulate.v"];

    [Fact]
    public void ARandomLayerOnThreePesEqualsTheKernel()
    {
        // 50 rows over 3 PEs: 17, 17 and 16 local rows.
        var random = new Random(5);
        const int rows = 50;
        const int cols = 80;
        byte[] indices = ComputeBench.RandomIndices(random, rows * cols, 0.2);
        CcsMatrix weights = CcsMatrix.Encode(indices, rows, cols, 3);
        var codebook = new short[16];
        for (int c = 1; c < 16; c++)
        {
            codebook[c] = (short)random.Next(short.MinValue, short.MaxValue + 1);
        }

        var passes = Enumerable.Range(0, 3)
            .Select(_ => Enumerable.Range(0, cols).Select(_ => random.Next(2) == 0 ? (byte)0 : (byte)random.Next(1, 256)).ToArray())
            .ToList();
        RunLayer(weights, rows, codebook, passes, "random 50 x 80 on 3 PEs");
        RunLayer(weights, rows, codebook, passes, "random 50 x 80 on 3 compiled PEs", compiled: true);
    }

    [Fact]
    public void TheShippedModelsLayersEqualTheKernelAndTheCostModel()
    {
        foreach ((SparseLayer layer, List<byte[]> inputs, string name) in ComputeBench.ShippedLayers(3))
        {
            RunLayer(layer.Weights, layer.Rows, layer.Codebook, inputs, name);
        }
    }

    /// <summary>
    /// The array with the PEs whose datapath is compiled from kernels/ (compiled_pe.v) on the shipped model's
    /// first two layers in four slices: every accumulator and every PE's entry count equal the C#'s, and the
    /// cycles within 5 % of the cost model's (each compiled PE steps through every column of the layer); they
    /// are printed beside pe.v's array's.
    /// </summary>
    [Fact]
    public void TheShippedModelsLayersOnCompiledPesEqualTheKernel()
    {
        foreach ((SparseLayer layer, List<byte[]> inputs, string name) in ComputeBench.ShippedLayers(3))
        {
            // The shipped model is stored in one slice; the array's four take it re-encoded in four.
            CcsMatrix four = CcsMatrix.Encode(layer.Weights.DecodeIndices(), layer.Rows, layer.Weights.Cols, 4);
            long hand = RunLayer(four, layer.Rows, layer.Codebook, inputs, name + " on 4 PEs").Sum();
            long compiled = RunLayer(four, layer.Rows, layer.Codebook, inputs, name + " on 4 compiled PEs", compiled: true).Sum();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}, {inputs.Count} images: compiled PEs {compiled} cycles, pe.v {hand} ({(double)compiled / hand:F3}x)"));
        }
    }

    /// <summary>Runs the layer's passes on the array's bench and checks them; returns each pass's cycles from first broadcast to done.</summary>
    private List<long> RunLayer(CcsMatrix weights, int rows, short[] codebook, IReadOnlyList<byte[]> passes, string name, bool compiled = false)
    {
        int pes = weights.PeCount;
        int cols = weights.Cols;
        int localRows = CcsEncoder.LocalRowCount(rows, pes, 0);
        int entryBits = ComputeBench.BitsFor(Math.Max(2, weights.Slices.Max(s => s.EntryCount)));
        int slot = 1 << entryBits;

        var entryImage = new ulong[pes * slot];
        var pointerImage = new List<ulong>();
        for (int pe = 0; pe < pes; pe++)
        {
            CcsSlice slice = weights.Slices[pe];
            for (int e = 0; e < slice.EntryCount; e++)
            {
                entryImage[(pe * slot) + e] = slice.Entries[e];
            }

            pointerImage.AddRange(slice.Pointers.Select(p => (ulong)p));
        }

        using var folder = new BenchFolder("pe-array");
        ComputeBench.WriteHex(folder, "pa_entries.hex", entryImage, 2);
        ComputeBench.WriteHex(folder, "pa_pointers.hex", pointerImage, 4);
        ComputeBench.WriteHex(folder, "pa_codebook.hex", codebook.Select(c => (ulong)(ushort)c), 4);
        ComputeBench.WriteHex(folder, "pa_acts.hex", passes.SelectMany(p => p).Select(x => (ulong)x), 2);
        List<string> lines = ComputeBench.Run("pe_array_tb", compiled ? CompiledArrayRtl : ArrayRtl, folder, new Dictionary<string, string>
        {
            ["PES"] = ComputeBench.Text(pes),
            ["COLS"] = ComputeBench.Text(cols),
            ["LOCAL_ROWS"] = ComputeBench.Text(localRows),
            ["ROW_BITS"] = ComputeBench.Text(Math.Max(4, ComputeBench.BitsFor(localRows))),
            ["ENTRY_ADDR_BITS"] = ComputeBench.Text(entryBits),
            ["WORD_BITS"] = ComputeBench.Text(ComputeBench.BitsFor(cols + 1 + (slot / 2))),
            ["COL_BITS"] = ComputeBench.Text(ComputeBench.BitsFor(cols + 1)),
            ["PASSES"] = ComputeBench.Text(passes.Count),
            ["COMPILED_PE"] = compiled ? "1" : "0",
        });

        var expectedAcc = new List<string>();
        var expectedWork = new List<string>();
        var modelCycles = new List<long>();
        for (int pass = 0; pass < passes.Count; pass++)
        {
            var local = new int[pes][];
            long slowest = 0;
            long slowestCompiled = 0;
            for (int pe = 0; pe < pes; pe++)
            {
                CcsSlice slice = weights.Slices[pe];
                local[pe] = new int[localRows];   // rows past a PE's own stay zero
                long consumed = SparseMatVec.MultiplyAccumulate(slice.Entries, slice.Pointers, codebook, passes[pass], local[pe].AsSpan(0, CcsEncoder.LocalRowCount(rows, pes, pe)));
                expectedWork.Add(string.Create(CultureInfo.InvariantCulture, $"{pass} {pe} {consumed}"));
                long busy = 0;
                for (int j = 0; j < cols; j++)
                {
                    busy += passes[pass][j] != 0 ? Math.Max(1, slice.Pointers[j + 1] - slice.Pointers[j]) : 0;
                }

                slowest = Math.Max(slowest, busy);
                slowestCompiled = Math.Max(slowestCompiled, PeArrayCostModel.CompiledPeBusy(cols, consumed));
            }

            for (int r = 0; r < localRows; r++)
            {
                for (int pe = 0; pe < pes; pe++)
                {
                    expectedAcc.Add(string.Create(CultureInfo.InvariantCulture, $"ACC {pass} {pe} {r} {ComputeBench.Hex8(local[pe][r])}"));
                }
            }

            // The PEs' part of PeArrayCostModel.LayerCycles (this bench broadcasts itself: no scan latency),
            // with a compiled PE's busy cycles those of its kernel call.
            modelCycles.Add(PeArrayCostModel.ComputeCycles(cols, compiled ? slowestCompiled : slowest));
        }

        Assert.Equal(expectedAcc, ComputeBench.Only(lines, "ACC"));
        // PE <pass> <pe> BUSY <b> ENTRIES <e>: entries consumed as the kernel counts them.
        Assert.Equal(expectedWork, ComputeBench.Only(lines, "PE").Select(l => string.Join(' ', l.Split(' ')[1], l.Split(' ')[2], l.Split(' ')[6])).ToList());

        List<string> passLines = ComputeBench.Only(lines, "PASS");
        var passCycles = new List<long>();
        for (int pass = 0; pass < passes.Count; pass++)
        {
            // PASS <pass> CYCLES <n> STALLS <s>
            string[] f = passLines[pass].Split(' ');
            long cycles = long.Parse(f[3], CultureInfo.InvariantCulture);
            passCycles.Add(cycles);
            double ratio = (double)cycles / modelCycles[pass];
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{name}, pass {pass}: {cycles} cycles from first broadcast to done ({f[5]} broadcast stalls); cost model {modelCycles[pass]}: ratio {ratio:F3}"));
            // Within 5 % of the cost model, plus the pipeline fill and drain of a short layer.
            Assert.InRange(cycles, (long)(modelCycles[pass] * 0.95) - 8, (long)(modelCycles[pass] * 1.05) + 8);
        }

        return passCycles;
    }
}
