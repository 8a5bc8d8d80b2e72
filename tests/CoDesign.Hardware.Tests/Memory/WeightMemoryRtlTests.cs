using System.Globalization;
using CoDesign.Hardware.Tests.Compute;

namespace CoDesign.Hardware.Tests.Memory;

/// <summary>
/// hardware/rtl/weight_memory.v, inferred and built from the UP5K's four SB_SPRAM256KA (simulated
/// with Yosys's cell model): byte writes and reads all over the address space, checked cycle by
/// cycle against a C# model of a byte array. Every read has exactly one cycle of latency; a byte
/// written to one lane of an SPRAM word leaves the other lane alone; the four banks are distinct.
/// The data out after a write cycle is not defined (the SPRAM drives x), so it is not checked.
/// Then the lane ports (one 16-bit word per bank, each at its own address) read back words the
/// bench wrote through the byte port.
/// </summary>
public class WeightMemoryRtlTests
{
    [Theory]
    [InlineData(17, false, 1)]   // the simulated top's 128 KiB, inferred
    [InlineData(17, true, 2)]    // the iCEBreaker's four SPRAMs
    [InlineData(13, false, 3)]   // the HX8K's 8 KiB of block RAM
    public void ByteWritesAndReadsEqualTheModel(int addrBits, bool spram, int seed)
    {
        var random = new Random(seed);
        var traffic = new Traffic(addrBits);
        int size = 1 << addrBits;
        int banks = addrBits == 17 ? 4 : 1;
        int wordsPerBank = size / 2 / banks;

        // Both lanes of a word: write both, read both, rewrite each lane and read both again.
        for (int n = 0; n < 48; n++)
        {
            int word = (random.Next(banks) * wordsPerBank) + random.Next(wordsPerBank);
            int low = 2 * word;
            int high = low + 1;
            traffic.Write(low, random);
            traffic.Write(high, random);
            traffic.Read(low);
            traffic.Read(high);
            traffic.Write(low, random);
            traffic.Read(high);
            traffic.Read(low);
            traffic.Write(high, random);
            traffic.Read(low);
            traffic.Read(high);
        }

        // The same word and lane in every bank: a write lands in its own bank only.
        for (int n = 0; n < 24; n++)
        {
            int offset = random.Next(size / banks);
            for (int b = 0; b < banks; b++)
            {
                traffic.Write((b * (size / banks)) + offset, random);
            }

            for (int b = banks - 1; b >= 0; b--)
            {
                traffic.Read((b * (size / banks)) + offset);
            }
        }

        // Random bytes anywhere (the first and last address included), then read back in a
        // shuffled order mixed with more writes, reads right after a write of the same byte and reads
        // of bytes never written (not checked).
        var written = new List<int> { 0, size - 1 };
        written.AddRange(Enumerable.Range(0, 1500).Select(_ => random.Next(size)));
        foreach (int address in written)
        {
            traffic.Write(address, random);
        }

        int[] order = [.. written.Distinct()];
        random.Shuffle(order);
        foreach (int address in order)
        {
            double pick = random.NextDouble();
            if (pick < 0.2)
            {
                int other = random.Next(size);
                traffic.Write(other, random);
                traffic.Read(other);
            }
            else if (pick < 0.3)
            {
                traffic.Read(random.Next(size));
            }

            traffic.Read(address);
        }

        int checkedResults = traffic.Run($"wm-{addrBits}-{(spram ? "spram" : "inferred")}", spram);

        Assert.Equal(traffic.CheckCount + (4 * Traffic.LaneChecks), checkedResults);
        Assert.True(checkedResults > 1500, $"{checkedResults} reads checked");
    }

    /// <summary>The inputs of each cycle and, from a model of the memory, what rdata holds after its clock edge.</summary>
    private sealed class Traffic(int addrBits)
    {
        private readonly byte?[] _memory = new byte?[1 << addrBits];
        private readonly List<ulong> _vectors = [];
        private readonly List<ulong> _expected = [];

        public int CheckCount { get; private set; }

        public void Write(int address, Random random)
        {
            byte value = (byte)random.Next(256);
            _vectors.Add((1UL << (addrBits + 8)) | ((ulong)(uint)address << 8) | value);
            _expected.Add(0);
            _memory[address] = value;
        }

        public void Read(int address)
        {
            _vectors.Add((ulong)(uint)address << 8);
            _expected.Add(_memory[address] is byte value ? 0x100UL | value : 0UL);
            CheckCount += _memory[address].HasValue ? 1 : 0;
        }

        /// <summary>Word reads through the lane ports after the traffic, four banks each (the bench checks them against its own writes).</summary>
        public const int LaneChecks = 32;

        /// <summary>Runs the bench on these cycles; returns how many results it checked.</summary>
        public int Run(string name, bool spram)
        {
            using var folder = new BenchFolder(name);
            ComputeBench.WriteHex(folder, "wm_vectors.hex", _vectors, (addrBits + 9 + 3) / 4);
            ComputeBench.WriteHex(folder, "wm_expected.hex", _expected, 3);
            List<string> lines = folder.Run(
                "weight_memory_tb",
                ["weight_memory.v"],
                new Dictionary<string, string>
                {
                    ["ADDR_BITS"] = ComputeBench.Text(addrBits),
                    ["USE_SPRAM"] = spram ? "1" : "0",
                    ["COUNT"] = ComputeBench.Text(_vectors.Count),
                    ["LANE_CHECKS"] = ComputeBench.Text(LaneChecks),
                },
                spram ? [HardwareSources.Ice40CellModels] : null);
            return int.Parse(lines.Single(l => l.StartsWith("DONE ", StringComparison.Ordinal)).Split(' ')[1], CultureInfo.InvariantCulture);
        }
    }
}
