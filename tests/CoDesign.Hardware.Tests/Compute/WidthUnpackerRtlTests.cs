using System.Globalization;
using CoDesign.Kernels;

namespace CoDesign.Hardware.Tests.Compute;

/// <summary>
/// hardware/rtl/width_unpacker.v turns bus words into values exactly as WidthConverter.Unpack does
/// (values straddling words, sign or zero extension, the unused tail of the last word dropped by a
/// flush), and reads exactly as many words as the kernel.
/// </summary>
public class WidthUnpackerRtlTests
{
    public static TheoryData<int, int, bool> Shapes()
    {
        var data = new TheoryData<int, int, bool>();
        foreach (int bus in new[] { 32, 64 })
        {
            foreach (int bits in new[] { 1, 3, 4, 7, 8, 12, 16, 20, 31, 32 })
            {
                data.Add(bus, bits, bits % 2 == 0);
            }
        }

        data.Add(32, 4, false);
        data.Add(64, 8, false);
        data.Add(32, 16, false);
        data.Add(64, 3, true);
        data.Add(32, 7, true);
        data.Add(64, 32, false);
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ValuesEqualTheKernelBitForBit(int busBits, int valueBits, bool signed)
    {
        var random = new Random((busBits * 100) + (valueBits * 2) + (signed ? 1 : 0));
        int count = random.Next(40, 300);
        var values = new int[count];
        for (int i = 0; i < count; i++)
        {
            // Full-range bit patterns, with the extremes of the field mixed in.
            long pattern = random.Next(6) switch
            {
                0 => 0,
                1 => (1L << valueBits) - 1,
                2 => 1L << (valueBits - 1),
                _ => random.NextInt64(0, 1L << valueBits),
            };
            values[i] = unchecked((int)(uint)pattern);
        }

        var memory = new byte[WidthConverter.ByteCount(count, valueBits, busBits)];
        long words = WidthConverter.Pack(values, valueBits, memory, busBits);
        // Garbage past the last value in the last word: the kernel never reads it, nor may the RTL.
        int usedBits = (count * valueBits) % busBits;
        if (usedBits != 0)
        {
            for (int b = usedBits; b < busBits; b++)
            {
                memory[memory.Length - (busBits / 8) + (b / 8)] |= (byte)(1 << (b % 8));
            }
        }

        var unpacked = new int[count];
        Assert.Equal(words, WidthConverter.Unpack(memory, busBits, valueBits, signed, unpacked));

        var wordValues = new List<ulong>();
        for (int w = 0; w < words; w++)
        {
            ulong word = 0;
            for (int b = 0; b < busBits / 8; b++)
            {
                word |= (ulong)memory[(w * (busBits / 8)) + b] << (8 * b);
            }

            wordValues.Add(word);
        }

        using var folder = new BenchFolder("unpack");
        ComputeBench.WriteHex(folder, "unpack_words.hex", wordValues, busBits / 4);
        List<string> lines = ComputeBench.Run("width_unpacker_tb", ["width_unpacker.v"], folder, new Dictionary<string, string>
        {
            ["BUS_BITS"] = ComputeBench.Text(busBits),
            ["VALUE_BITS"] = ComputeBench.Text(valueBits),
            ["SIGNED"] = signed ? "1" : "0",
            ["WORDS"] = ComputeBench.Text(words),
            ["VALUES"] = ComputeBench.Text(count),
            ["GAP_PERCENT"] = "25",
            ["STALL_PERCENT"] = "25",
            ["SEED"] = ComputeBench.Text(valueBits),
        });

        var expected = new List<string>();
        for (int stream = 0; stream < 2; stream++)
        {
            for (int i = 0; i < count; i++)
            {
                expected.Add(string.Create(CultureInfo.InvariantCulture, $"V {stream} {i} {ComputeBench.Hex8(unpacked[i])}"));
            }
        }

        Assert.Equal(expected, ComputeBench.Only(lines, "V"));
    }

    [Fact]
    public void FullRateWhenValuesAreAsWideAsTheBus()
    {
        // One 32-bit value per 32-bit word: the gearbox must pass one per cycle (no bubble per word).
        const int count = 64;
        using var folder = new BenchFolder("unpack-rate");
        ComputeBench.WriteHex(folder, "unpack_words.hex", Enumerable.Range(0, count).Select(i => (ulong)(uint)(i * 0x9E3779B1)), 8);
        List<string> lines = ComputeBench.Run("width_unpacker_tb", ["width_unpacker.v"], folder, new Dictionary<string, string>
        {
            ["BUS_BITS"] = "32",
            ["VALUE_BITS"] = "32",
            ["WORDS"] = ComputeBench.Text(count),
            ["VALUES"] = ComputeBench.Text(count),
        });

        string stats = Assert.Single(ComputeBench.Only(lines, "STREAM"), l => l.StartsWith("STREAM 0 ", StringComparison.Ordinal));
        int cycles = int.Parse(stats.Split(' ')[3], CultureInfo.InvariantCulture);
        Assert.InRange(cycles, count, count + 3);
    }
}
