using System.Globalization;
using CoDesign.Hardware.Tests.Compute;

namespace CoDesign.Hardware.Tests.Memory;

/// <summary>
/// hardware/rtl/byte_buffer.v, the simple dual-port RAM behind the frame buffers and the layer
/// engine's activations and accumulators: a write and a read in every cycle, checked cycle by cycle
/// against a C# model of the array. Its read port has exactly one cycle of latency, and a read of
/// the address being written in the same cycle returns the OLD contents (read-before-write; the new
/// value is read from the next cycle on), which is what block RAM in read-first mode does and what
/// the layer engine's accumulate step relies on (it waits a cycle before reading a row it wrote).
/// With <c>NO_COLLISION</c> (the PE-array engine's activation banks) it is the bare block RAM, the same
/// whenever no read meets the write.
/// </summary>
public class ByteBufferRtlTests
{
    [Theory]
    [InlineData(4, 8, 3000, 1)]      // 16 bytes: writes and reads collide all the time
    [InlineData(10, 8, 4000, 2)]     // a frame buffer
    [InlineData(11, 8, 4000, 3)]     // the layer engine's activations (two halves of 2^ACT_BITS)
    [InlineData(3, 32, 2000, 4)]     // 8 words of 32 bits
    [InlineData(9, 32, 3000, 5)]     // the layer engine's accumulators (2^ACC_BITS x 32 bits)
    public void RandomTrafficEqualsTheModel(int addrBits, int dataBits, int randomCycles, int seed)
    {
        var random = new Random(seed);
        int size = 1 << addrBits;
        var traffic = new Traffic(addrBits, dataBits);

        // Fill every address, reading the one written in the previous cycle (write, then read next cycle).
        for (int a = 0; a < size; a++)
        {
            traffic.Cycle(true, a, traffic.RandomData(random), (a + size - 1) % size);
        }

        // Random traffic around a few hot addresses, with many reads of the address being written
        // in the same cycle and of the one written in the cycle before.
        int[] hot = Enumerable.Range(0, 6).Select(_ => random.Next(size)).ToArray();
        int lastWrite = 0;
        for (int i = 0; i < randomCycles; i++)
        {
            bool we = random.NextDouble() < 0.6;
            int waddr = random.Next(2) == 0 ? hot[random.Next(hot.Length)] : random.Next(size);
            double pick = random.NextDouble();
            int raddr = pick < 0.3 ? waddr : pick < 0.5 ? lastWrite : random.Next(2) == 0 ? hot[random.Next(hot.Length)] : random.Next(size);
            traffic.Cycle(we, waddr, traffic.RandomData(random), raddr);
            if (we)
            {
                lastWrite = waddr;
            }
        }

        // One address written in every cycle of a burst and read in every cycle: each read returns
        // the previous cycle's value; then the all-zeros and all-ones data words.
        int target = hot[0];
        for (int i = 0; i < 16; i++)
        {
            traffic.Cycle(true, target, traffic.RandomData(random), target);
        }

        traffic.Cycle(true, target, 0, target);
        traffic.Cycle(true, target, traffic.Mask, target);
        traffic.Cycle(false, target, 0, target);

        (int checkedResults, int collisions) = traffic.Run($"bb-{addrBits}x{dataBits}");

        Assert.Equal(traffic.CheckCount, checkedResults);
        Assert.True(collisions >= randomCycles / 10, $"only {collisions} reads of the address being written");
    }

    [Theory]
    [InlineData(8)]
    [InlineData(32)]
    public void AReadOfTheAddressBeingWrittenReturnsTheOldValue(int dataBits)
    {
        var traffic = new Traffic(4, dataBits);
        ulong first = dataBits == 8 ? 0x11UL : 0x1122_3344UL;
        ulong second = dataBits == 8 ? 0xEEUL : 0xEEDD_CCBBUL;
        traffic.Cycle(true, 5, first, 4);      // address 5 gets its first value; 4 was never written
        traffic.Cycle(true, 5, second, 5);     // write and read 5 together: the read returns `first`
        traffic.Cycle(false, 5, 0, 5);         // the next cycle reads `second`
        traffic.Cycle(true, 6, first, 5);      // a write elsewhere leaves 5 alone
        traffic.Cycle(false, 0, 0, 6);

        Assert.Equal([false, true, true, true, true], traffic.Expected.Select(e => e.HasValue).ToList());
        Assert.Equal([first, second, second, first], traffic.Expected.Skip(1).Select(e => e!.Value).ToList());
        (int checkedResults, int collisions) = traffic.Run($"bb-rdw{dataBits}");
        Assert.Equal(4, checkedResults);
        Assert.Equal(1, collisions);
    }

    [Theory]
    [InlineData(4, 8, 2000, 7)]
    [InlineData(9, 8, 3000, 8)]      // the PE-array engine's activation banks
    public void TheBareBufferEqualsTheModelWhenNoReadMeetsTheWrite(int addrBits, int dataBits, int randomCycles, int seed)
    {
        var random = new Random(seed);
        int size = 1 << addrBits;
        var traffic = new Traffic(addrBits, dataBits);
        for (int a = 0; a < size; a++)
        {
            traffic.Cycle(true, a, traffic.RandomData(random), (a + size - 1) % size);
        }

        // Reads of the address written in the cycle before, never of the one written now.
        int lastWrite = 0;
        for (int i = 0; i < randomCycles; i++)
        {
            bool we = random.NextDouble() < 0.6;
            int waddr = random.Next(size);
            int raddr = random.Next(2) == 0 ? lastWrite : random.Next(size);
            if (we && raddr == waddr)
            {
                raddr = (raddr + 1) % size;
            }

            traffic.Cycle(we, waddr, traffic.RandomData(random), raddr);
            if (we)
            {
                lastWrite = waddr;
            }
        }

        (int checkedResults, int collisions) = traffic.Run($"bb-bare-{addrBits}x{dataBits}", noCollision: true);

        Assert.Equal(traffic.CheckCount, checkedResults);
        Assert.Equal(0, collisions);
    }

    /// <summary>The inputs of each cycle and, from a model of the array, what rdata holds after its clock edge.</summary>
    private sealed class Traffic(int addrBits, int dataBits)
    {
        private readonly ulong?[] _memory = new ulong?[1 << addrBits];

        public List<ulong> Vectors { get; } = [];

        public List<ulong?> Expected { get; } = [];

        public ulong Mask => dataBits == 64 ? ulong.MaxValue : (1UL << dataBits) - 1;

        public int CheckCount => Expected.Count(e => e.HasValue);

        public ulong RandomData(Random random) => (ulong)random.NextInt64() & Mask;

        /// <summary>One clock cycle: the read samples the array before the write lands.</summary>
        public void Cycle(bool we, int waddr, ulong wdata, int raddr)
        {
            Vectors.Add(((we ? 1UL : 0UL) << ((2 * addrBits) + dataBits)) | ((ulong)(uint)waddr << (addrBits + dataBits)) | (wdata << addrBits) | (uint)raddr);
            Expected.Add(_memory[raddr]);
            if (we)
            {
                _memory[waddr] = wdata;
            }
        }

        /// <summary>Runs the bench on these cycles; returns the results it checked and its same-address read-during-write count.</summary>
        public (int Checked, int Collisions) Run(string name, bool noCollision = false)
        {
            using var folder = new BenchFolder(name);
            ComputeBench.WriteHex(folder, "bb_vectors.hex", Vectors, ((1 + (2 * addrBits) + dataBits) + 3) / 4);
            ComputeBench.WriteHex(folder, "bb_expected.hex", Expected.Select(e => e.HasValue ? (1UL << dataBits) | e.Value : 0UL), (dataBits + 1 + 3) / 4);
            List<string> lines = ComputeBench.Run("byte_buffer_tb", ["byte_buffer.v"], folder, new Dictionary<string, string>
            {
                ["ADDR_BITS"] = ComputeBench.Text(addrBits),
                ["DATA_BITS"] = ComputeBench.Text(dataBits),
                ["COUNT"] = ComputeBench.Text(Vectors.Count),
                ["NO_COLLISION"] = noCollision ? "1" : "0",
            });
            string[] done = lines.Single(l => l.StartsWith("DONE ", StringComparison.Ordinal)).Split(' ');
            return (int.Parse(done[1], CultureInfo.InvariantCulture), int.Parse(done[2], CultureInfo.InvariantCulture));
        }
    }
}
