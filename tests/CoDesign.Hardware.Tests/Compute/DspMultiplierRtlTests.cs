using System.Globalization;
using CoDesign.Kernels;
using Xunit.Abstractions;

namespace CoDesign.Hardware.Tests.Compute;

/// <summary>
/// hardware/rtl/dsp_multiplier.v multiplies an 8-bit activation by a signed 16-bit constant exactly
/// as the kernels do (ShiftAddMultiplier, x * c), one operand per cycle, in order, with
/// shift_add_multiplier's latency; on the SB_MAC16 (Yosys's model of it) and as a plain multiply.
/// With USE_MAC16 = 1 it is one DSP block and next to no logic.
/// </summary>
public class DspMultiplierRtlTests(ITestOutputHelper output)
{
    /// <summary>shift_add_multiplier's latency (its bench checks the same number); the DSP version must match it.</summary>
    private const int ShiftAddLatency = 3;

    /// <summary>Activations at the edges of the unsigned byte.</summary>
    private static readonly byte[] EdgeActivations = [0, 1, 2, 127, 128, 129, 254, 255];

    [Theory]
    [InlineData(1, 0, 0)]    // SB_MAC16, back to back
    [InlineData(1, 30, 0)]   // SB_MAC16, random idle cycles (garbage on the inputs meanwhile)
    [InlineData(1, 70, 0)]   // SB_MAC16, mostly single operands between idle cycles
    [InlineData(0, 0, 0)]    // behavioural multiply
    [InlineData(0, 30, 0)]
    [InlineData(1, 0, 1)]    // the product from the DSP's output register, a cycle after out_valid
    [InlineData(1, 30, 1)]
    [InlineData(0, 30, 1)]
    public void ProductsEqualTheKernelBitForBit(int useMac16, int gapPercent, int productLag)
    {
        var random = new Random(useMac16 * 1000 + gapPercent);
        var operands = new List<(byte X, short C)>();
        var constants = MultiplyActivationRtlTests.EdgeConstants.ToList();
        for (int i = 0; i < 16; i++)
        {
            constants.Add((short)random.Next(short.MinValue, short.MaxValue + 1));
        }

        foreach (short c in constants)
        {
            for (int x = 0; x < 256; x++)
            {
                operands.Add(((byte)x, c));
            }
        }

        for (int i = 0; i < 1000; i++)
        {
            operands.Add((EdgeActivations[random.Next(EdgeActivations.Length)], (short)random.Next(short.MinValue, short.MaxValue + 1)));
        }

        for (int i = 0; i < 8000; i++)
        {
            operands.Add(((byte)random.Next(256), (short)random.Next(short.MinValue, short.MaxValue + 1)));
        }

        var vectors = new List<ulong>();
        var expected = new List<string>();
        for (int i = 0; i < operands.Count; i++)
        {
            (byte x, short c) = operands[i];
            ShiftAddMultiplier.Recode(c, out uint plus, out uint minus);
            int product = ShiftAddMultiplier.Multiply(x, plus, minus, out _);
            Assert.Equal(x * c, product);
            vectors.Add(((ulong)x << 48) | ((ulong)(ushort)c << 32) | unchecked((uint)product));
            expected.Add(string.Create(CultureInfo.InvariantCulture, $"P {i} {ComputeBench.Hex8(product)}"));
        }

        using var folder = new BenchFolder("dsp-mul");
        ComputeBench.WriteHex(folder, "dsp_vectors.hex", vectors, 14);
        List<string> lines = folder.Run(
            "dsp_multiplier_tb",
            ["dsp_multiplier.v"],
            new Dictionary<string, string>
            {
                ["COUNT"] = ComputeBench.Text(vectors.Count),
                ["USE_MAC16"] = ComputeBench.Text(useMac16),
                ["GAP_PERCENT"] = ComputeBench.Text(gapPercent),
                ["SEED"] = ComputeBench.Text(useMac16 + gapPercent + 1),
                ["LATENCY"] = ComputeBench.Text(ShiftAddLatency),
                ["PRODUCT_LAG"] = ComputeBench.Text(productLag),
            },
            useMac16 != 0 ? [HardwareSources.Ice40CellModels] : []);

        Assert.Equal(expected, ComputeBench.Only(lines, "P"));
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"DONE {vectors.Count} products, 0 failures"), lines);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(6)]    // the PE's row tag
    public void MapsToOneSbMac16AndAlmostNoLogic(int tagBits)
    {
        Dictionary<string, int> cells = Synthesize(useMac16: 1, tagBits, dsp: true);
        output.WriteLine(Ice40Cells.Describe(cells));

        Assert.Equal(1, cells.GetValueOrDefault("SB_MAC16"));
        Assert.InRange(cells.GetValueOrDefault("SB_LUT4"), 0, 2);   // busy = OR of the three valid bits
        Assert.Equal(0, cells.GetValueOrDefault("SB_CARRY"));
        // Only valid and tag, three stages, are in the fabric: the data stays in the DSP's registers.
        Assert.Equal(3 * (tagBits + 1), Ice40Cells.FlipFlops(cells));

        // The explicit instance needs no DSP inference: without -dsp it is the same.
        Assert.Equal(cells, Synthesize(useMac16: 1, tagBits, dsp: false));
    }

    [Fact]
    public void BehaviouralMultiplierIsLogicWithoutDspInferenceAndOneSbMac16WithIt()
    {
        // Without -dsp (what an HX8K build gets) the multiply is LUTs; with -dsp Yosys infers one
        // SB_MAC16 (and must not crash: see the pipeline shape in dsp_multiplier.v).
        Dictionary<string, int> logic = Synthesize(useMac16: 0, tagBits: 1, dsp: false);
        Dictionary<string, int> inferred = Synthesize(useMac16: 0, tagBits: 1, dsp: true);
        output.WriteLine("without -dsp: " + Ice40Cells.Describe(logic));
        output.WriteLine("with -dsp:    " + Ice40Cells.Describe(inferred));

        Assert.Equal(0, logic.GetValueOrDefault("SB_MAC16"));
        Assert.True(logic.GetValueOrDefault("SB_LUT4") > 100, Ice40Cells.Describe(logic));
        Assert.Equal(1, inferred.GetValueOrDefault("SB_MAC16"));
    }

    /// <summary>Cells of <c>synth_ice40</c> on dsp_multiplier alone, by type.</summary>
    private static Dictionary<string, int> Synthesize(int useMac16, int tagBits, bool dsp) =>
        Ice40Cells.Synthesize("dsp_multiplier", new Dictionary<string, int> { ["USE_MAC16"] = useMac16, ["TAG_BITS"] = tagBits }, dsp);
}
