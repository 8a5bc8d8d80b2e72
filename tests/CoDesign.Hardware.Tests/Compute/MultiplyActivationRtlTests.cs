using System.Globalization;
using CoDesign.Kernels;

namespace CoDesign.Hardware.Tests.Compute;

/// <summary>
/// hardware/rtl/generated/shift_add_multiplier_multiply_activation.v (compiled from
/// ShiftAddMultiplier.MultiplyActivation, the multiplier of the PEs and the layer engine) multiplies an
/// 8-bit activation by a recoded 16-bit constant exactly as the kernel does, one operand per cycle, in
/// order, with the latency of the hand-written module it replaced (3), its tag alongside.
/// </summary>
public class MultiplyActivationRtlTests
{
    /// <summary>Constants that stress the recoding and the partial-product signs.</summary>
    public static readonly short[] EdgeConstants =
    [
        short.MinValue, short.MinValue + 1, short.MaxValue, short.MaxValue - 1, 0, 1, -1, 2, -2, 3, -3,
        0x5555, unchecked((short)0xAAAA), 0x2AAA, unchecked((short)0xD555), 0x3333, unchecked((short)0xCCCC),
        0x6DB6, unchecked((short)0x9249), 0x7FFE, 0x4000, -0x4000, 0x2000, 0x0FFF, -0x0FFF, 0x5B6D, -21846, 21845,
    ];

    [Theory]
    [InlineData(0)]
    [InlineData(30)]
    public void ProductsEqualTheKernelBitForBit(int gapPercent)
    {
        var random = new Random(1600 + gapPercent);
        var operands = new List<(byte X, short C)>();
        foreach (short c in EdgeConstants)
        {
            for (int x = 0; x < 256; x++)
            {
                operands.Add(((byte)x, c));
            }
        }

        for (int i = 0; i < 12000; i++)
        {
            operands.Add(((byte)random.Next(256), (short)random.Next(short.MinValue, short.MaxValue + 1)));
        }

        var vectors = new List<ulong>();
        var expected = new List<string>();
        for (int i = 0; i < operands.Count; i++)
        {
            (byte x, short c) = operands[i];
            ShiftAddMultiplier.Recode(c, out uint plus, out uint minus);
            vectors.Add(((ulong)x << 34) | ((ulong)plus << 17) | minus);
            int product = ShiftAddMultiplier.MultiplyActivation(x, (ushort)plus, (ushort)minus);
            Assert.Equal(x * c, product);
            expected.Add(string.Create(CultureInfo.InvariantCulture, $"P {i} {ComputeBench.Hex8(product)}"));
        }

        using var folder = new BenchFolder("mul");
        ComputeBench.WriteHex(folder, "mul_vectors.hex", vectors, 11);
        List<string> lines = ComputeBench.Run("shift_add_multiplier_multiply_activation_tb", ["shift_add_multiplier_multiply_activation.v"], folder, new Dictionary<string, string>
        {
            ["COUNT"] = ComputeBench.Text(vectors.Count),
            ["GAP_PERCENT"] = ComputeBench.Text(gapPercent),
            ["SEED"] = ComputeBench.Text(16 + gapPercent),
        });

        Assert.Equal(expected, ComputeBench.Only(lines, "P"));
    }
}
