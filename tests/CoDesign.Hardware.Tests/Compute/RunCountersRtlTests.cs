using System.Buffers.Binary;
using System.Globalization;

namespace CoDesign.Hardware.Tests.Compute;

/// <summary>
/// hardware/rtl/run_counters.v, the work counters both engines write into the Run reply: random
/// cycles of clears and additions give the counters of a model (32 bits, wrapping), and the reply
/// byte is byte <c>reply_index</c> of the four u64 counters, little-endian, as RunReply.cs reads them.
/// </summary>
public class RunCountersRtlTests
{
    [Theory]
    [InlineData(0)]   // adders and registers (the HX8K, the Verilator top)
    [InlineData(1)]   // SB_MAC16 accumulators (the UP5K), on Yosys's cell model
    public void CountersAndReplyBytesEqualTheModel(int useMac16)
    {
        var random = new Random(5);
        const int count = 4000;
        var vectors = new List<ulong>();
        var expected = new List<(uint Cycles, uint Entries, uint Steps, uint Broadcasts, byte Reply)>();
        uint cycles = 0, entries = 0, steps = 0, broadcasts = 0;
        // A clear every 1,500 cycles (the first one included), so the counters grow past two bytes.
        for (int i = 0; i < count; i++)
        {
            bool clear = i % 1500 == 0;
            bool countCycle = random.Next(4) != 0;
            bool broadcast = random.Next(3) == 0;
            bool work = random.Next(4) != 0;
            int addEntries = random.Next(8);
            int addSteps = random.Next(128);
            int index = random.Next(32);
            vectors.Add(((work ? 1UL : 0) << 18) | ((clear ? 1UL : 0) << 17) | ((countCycle ? 1UL : 0) << 16) | ((broadcast ? 1UL : 0) << 15)
                        | ((uint)addEntries << 12) | ((uint)addSteps << 5) | (uint)index);
            byte reply = ReplyByte(index, cycles, entries, steps, broadcasts);
            if (clear)
            {
                (cycles, entries, steps, broadcasts) = (0, 0, 0, 0);
            }
            else
            {
                cycles += countCycle ? 1u : 0;
                entries += work ? (uint)addEntries : 0;
                steps += work ? (uint)addSteps : 0;
                broadcasts += broadcast ? 1u : 0;
            }

            expected.Add((cycles, entries, steps, broadcasts, reply));
        }

        using var folder = new BenchFolder("counters");
        ComputeBench.WriteHex(folder, "rc_vectors.hex", vectors, 5);
        List<string> lines = ComputeBench.Run(
            "run_counters_tb",
            ["run_counters.v", "dsp_counter.v"],
            folder,
            new Dictionary<string, string> { ["COUNT"] = ComputeBench.Text(count), ["USE_MAC16"] = ComputeBench.Text(useMac16) },
            useMac16 != 0 ? [HardwareSources.Ice40CellModels] : null);

        List<string[]> seen = ComputeBench.Only(lines, "C").Select(l => l.Split(' ')).ToList();
        Assert.Equal(count, seen.Count);
        for (int i = 0; i < count; i++)
        {
            uint[] counters = [.. seen[i].Skip(2).Take(4).Select(Hex)];
            Assert.Equal([expected[i].Cycles, expected[i].Entries, expected[i].Steps, expected[i].Broadcasts], counters);
            Assert.Equal(expected[i].Reply, (byte)Hex(seen[i][6]));
        }

        Assert.Contains(expected, e => e.Steps > 0x1_0000);
    }

    private static uint Hex(string text) => uint.Parse(text, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    /// <summary>Byte <paramref name="index"/> of the reply's counter block: four u64, little-endian.</summary>
    private static byte ReplyByte(int index, uint cycles, uint entries, uint steps, uint broadcasts)
    {
        var block = new byte[32];
        uint[] words = [cycles, entries, steps, broadcasts];
        for (int k = 0; k < 4; k++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(block.AsSpan(8 * k), words[k]);
        }

        return block[index];
    }
}
