using System.Globalization;
using Xunit.Abstractions;

namespace CoDesign.Hardware.Tests.Compute;

/// <summary>
/// hardware/rtl/dsp_counter.v, the 32-bit counter run_counters keeps its counts in: on the SB_MAC16
/// (Yosys's model of it; the UP5K) and as an adder and a register, random additions and clears give the
/// counts of a model, the carry from the low half into the high one included and the count wrapping
/// past 2^32; with USE_MAC16 = 1 it is one DSP block and no flip-flop or carry.
/// </summary>
public class DspCounterRtlTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    public void CountsEqualTheModelAndWrap(int useMac16)
    {
        var random = new Random(11 + useMac16);
        var vectors = new List<ulong>();
        var expected = new List<string>();
        uint count = 0;

        void Cycle(bool clear, bool addEnable, int add)
        {
            vectors.Add(((clear ? 1UL : 0) << 17) | ((addEnable ? 1UL : 0) << 16) | (uint)add);
            count = clear ? 0 : addEnable ? unchecked(count + (uint)add) : count;
            expected.Add(string.Create(CultureInfo.InvariantCulture, $"K {expected.Count} {ComputeBench.Hex8(unchecked((int)count))}"));
        }

        // The count is defined from the first clear on. Then random cycles: small and full-width
        // additions, idle cycles with junk on `add`, clears that come with an addition (the clear wins).
        Cycle(true, false, 0);
        for (int i = 0; i < 3000; i++)
        {
            Cycle(random.Next(200) == 0, random.Next(3) != 0, random.Next(4) == 0 ? random.Next(65536) : random.Next(8));
        }

        // 65,537 additions of 0xFFFF take the count to 2^32 - 1, every carry into the high half on the way,
        // and the next addition wraps it.
        Cycle(true, false, 0);
        for (int i = 0; i < 65537; i++)
        {
            Cycle(false, true, 0xFFFF);
        }

        Cycle(false, true, 5);
        Cycle(false, false, 0xFFFF);
        Cycle(true, true, 7);

        using var folder = new BenchFolder("dsp-counter");
        ComputeBench.WriteHex(folder, "dc_vectors.hex", vectors, 5);
        List<string> lines = ComputeBench.Run(
            "dsp_counter_tb",
            ["dsp_counter.v"],
            folder,
            new Dictionary<string, string> { ["COUNT"] = ComputeBench.Text(vectors.Count), ["USE_MAC16"] = ComputeBench.Text(useMac16) },
            useMac16 != 0 ? [HardwareSources.Ice40CellModels] : null);

        Assert.Equal(expected, ComputeBench.Only(lines, "K"));
        Assert.EndsWith(" ffffffff", expected[^4], StringComparison.Ordinal);   // 65,537 x 0xFFFF = 2^32 - 1
        Assert.EndsWith(" 00000004", expected[^3], StringComparison.Ordinal);   // + 5, wrapped
    }

    [Fact]
    public void MapsToOneSbMac16AndAtMostOneLut()
    {
        Dictionary<string, int> cells = Ice40Cells.Synthesize("dsp_counter", new Dictionary<string, int> { ["USE_MAC16"] = 1 }, dsp: false);
        output.WriteLine(Ice40Cells.Describe(cells));

        Assert.Equal(1, cells.GetValueOrDefault("SB_MAC16"));
        Assert.InRange(cells.GetValueOrDefault("SB_LUT4"), 0, 1);   // the hold: neither clear nor an addition
        Assert.Equal(0, cells.GetValueOrDefault("SB_CARRY"));
        Assert.Equal(0, Ice40Cells.FlipFlops(cells));

        // The behavioural counter is what an HX8K build gets: 32 flip-flops and a carry chain.
        Dictionary<string, int> logic = Ice40Cells.Synthesize("dsp_counter", new Dictionary<string, int> { ["USE_MAC16"] = 0 }, dsp: false);
        output.WriteLine("USE_MAC16=0: " + Ice40Cells.Describe(logic));
        Assert.Equal(0, logic.GetValueOrDefault("SB_MAC16"));
        Assert.Equal(32, Ice40Cells.FlipFlops(logic));
    }
}
