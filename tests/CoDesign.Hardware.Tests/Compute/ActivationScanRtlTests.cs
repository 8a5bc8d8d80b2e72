using System.Globalization;

namespace CoDesign.Hardware.Tests.Compute;

/// <summary>
/// hardware/rtl/activation_scan.v, the PE-array sequencer's broadcast source: over a banked buffer
/// of activations it offers exactly the nonzero activations of the layer's columns, in column
/// order, whatever the PEs' back-pressure, and starts over after <c>run</c> drops. With the PEs
/// always ready it keeps up: a cycle per nonzero activation or per word of four, whichever is more,
/// plus the read latency (what PeArrayCostModel counts for the broadcast); with the 2-word queue of
/// the UP5K's build it reads two words in three cycles over zeros.
/// </summary>
public class ActivationScanRtlTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int ActBits = 6;

    [Theory]
    [InlineData(64, 0.5, 100, 1, 4)]
    [InlineData(61, 0.5, 40, 2, 4)]    // columns end inside a word; the PEs often not ready
    [InlineData(1, 0.0, 100, 3, 4)]    // one column
    [InlineData(30, 1.0, 100, 4, 4)]   // dense: the queue fills and the scan waits
    [InlineData(64, 0.0, 100, 5, 4)]   // no nonzero activation at all
    [InlineData(64, 0.95, 70, 6, 4)]   // long zero runs
    [InlineData(64, 0.5, 100, 1, 2)]   // the UP5K's 2-word queue
    [InlineData(61, 0.5, 40, 2, 2)]
    [InlineData(1, 0.0, 100, 3, 2)]
    [InlineData(30, 1.0, 100, 4, 2)]
    [InlineData(64, 0.0, 100, 5, 2)]
    [InlineData(64, 0.05, 100, 7, 2)]  // mostly zeros
    public void OffersTheNonzeroActivationsInColumnOrder(int cols, double density, int readyPercent, int seed, int queueDepth)
    {
        var random = new Random(seed);
        int size = 1 << ActBits;
        // Junk past the columns: the scan must not offer it.
        byte[] activations = [.. Enumerable.Range(0, size).Select(i => i >= cols || random.NextDouble() < density ? (byte)random.Next(1, 256) : (byte)0)];
        if (density == 0.0)
        {
            Array.Clear(activations, 0, cols);
        }

        IEnumerable<ulong> words = Enumerable.Range(0, size / 4).Select(w => (ulong)BitConverter.ToUInt32(activations, 4 * w));
        using var folder = new BenchFolder("scan");
        ComputeBench.WriteHex(folder, "as_words.hex", words, 8);
        const int runs = 2;
        List<string> lines = ComputeBench.Run("activation_scan_tb", ["activation_scan.v"], folder, new Dictionary<string, string>
        {
            ["ACT_BITS"] = ComputeBench.Text(ActBits),
            ["COLS"] = ComputeBench.Text(cols),
            ["RUNS"] = ComputeBench.Text(runs),
            ["READY_PERCENT"] = ComputeBench.Text(readyPercent),
            ["SEED"] = ComputeBench.Text(seed),
            ["QUEUE_DEPTH"] = ComputeBench.Text(queueDepth),
        });

        (int Column, byte Value)[] expected = [.. Enumerable.Range(0, cols).Where(j => activations[j] != 0).Select(j => (j, activations[j]))];
        for (int r = 0; r < runs; r++)
        {
            (int Column, byte Value)[] offered = [.. ComputeBench.Only(lines, "B")
                .Select(l => l.Split(' '))
                .Where(f => f[1] == ComputeBench.Text(r))
                .Select(f => (int.Parse(f[2], CultureInfo.InvariantCulture), byte.Parse(f[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture)))];
            Assert.Equal(expected, offered);

            int cycles = int.Parse(ComputeBench.Only(lines, "FINISHED").Single(l => l.Split(' ')[1] == ComputeBench.Text(r)).Split(' ')[3], CultureInfo.InvariantCulture);
            output.WriteLine($"run {r}: {expected.Length} nonzero of {cols} columns in {cycles} cycles");
            if (readyPercent == 100)
            {
                int words4 = (cols + 3) / 4;
                // A 2-word queue gives a word's slot back 3 + k cycles after its read went out (k: the
                // word's nonzero activations, offered one per cycle), so word w + 2 starts no sooner
                // than that after word w; reads go out at most one per cycle.
                int[] k = [.. Enumerable.Range(0, words4).Select(w => Enumerable.Range(4 * w, 4).Count(j => j < cols && activations[j] != 0))];
                int[] start = new int[words4];
                for (int w = 1; w < words4; w++)
                {
                    start[w] = Math.Max(start[w - 1] + Math.Max(k[w - 1], 1), w >= 2 ? start[w - 2] + k[w - 2] + 3 : 0);
                }

                int twoWordCycles = start[^1] + Math.Max(k[^1], 1);
                int bound = queueDepth >= 4 ? Math.Max(expected.Length, words4) : twoWordCycles;
                Assert.True(cycles <= bound + 4, $"{cycles} cycles for {expected.Length} nonzero activations in {words4} words ({queueDepth}-word queue)");
            }
        }
    }
}
