using System.Globalization;
using CoDesign.Kernels;

namespace CoDesign.Hardware.Tests.Compute;

/// <summary>
/// hardware/rtl/codebook_loader.v, which both engines use to load a layer's codebook: every value
/// comes out one cycle after it went in, with its index, the CSD digit masks of
/// <see cref="ShiftAddMultiplier.Recode16"/> (digits 0 .. 16) and <see cref="ShiftAddMultiplier.Steps(uint, uint)"/>.
/// </summary>
public class CodebookLoaderRtlTests
{
    [Theory]
    [InlineData(0, 1)]
    [InlineData(40, 2)]   // idle cycles between loads
    public void EntriesEqualTheKernelsRecoding(int gapPercent, int seed)
    {
        var random = new Random(seed);
        // The extremes, alternating bit patterns (the most digits), and random values.
        var values = new List<short> { 0, 1, -1, short.MaxValue, short.MinValue, 0x5555, unchecked((short)0xAAAA), 0x2AAB, -0x2AAB };
        values.AddRange(Enumerable.Range(0, 300).Select(_ => (short)random.Next(short.MinValue, short.MaxValue + 1)));

        using var folder = new BenchFolder("codebook");
        ComputeBench.WriteHex(folder, "cl_values.hex", values.Select(v => (ulong)(ushort)v), 4);
        List<string> lines = ComputeBench.Run("codebook_loader_tb", ["codebook_loader.v", "shift_add_multiplier_recode16.v"], folder, new Dictionary<string, string>
        {
            ["COUNT"] = ComputeBench.Text(values.Count),
            ["GAP_PERCENT"] = ComputeBench.Text(gapPercent),
            ["SEED"] = ComputeBench.Text(seed),
        });

        List<string[]> entries = ComputeBench.Only(lines, "CB").Select(l => l.Split(' ')).ToList();
        Assert.Equal(values.Count, entries.Count);
        for (int k = 0; k < values.Count; k++)
        {
            ShiftAddMultiplier.Recode16(values[k], out uint plus, out uint minus);
            string[] e = entries[k];
            Assert.Equal(k, int.Parse(e[1], CultureInfo.InvariantCulture));
            Assert.Equal(k % 16, int.Parse(e[2], CultureInfo.InvariantCulture));
            Assert.Equal((ushort)values[k], ushort.Parse(e[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            Assert.Equal(plus & 0x1FFFF, uint.Parse(e[4], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            Assert.Equal(minus & 0x1FFFF, uint.Parse(e[5], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            Assert.Equal(ShiftAddMultiplier.Steps(plus, minus), int.Parse(e[6], CultureInfo.InvariantCulture));
        }
    }
}
