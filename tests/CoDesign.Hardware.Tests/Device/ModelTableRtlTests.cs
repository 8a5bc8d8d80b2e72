using System.Globalization;
using CoDesign.Hardware.Tests.Compute;

namespace CoDesign.Hardware.Tests.Device;

/// <summary>
/// hardware/rtl/model_table.v, the registered models the command controller scans: driven the way the
/// controller drives it (a scan, then an add when nothing is at the address and a slot is free, a remove
/// when something is; a scan that drops what a DMA write overlaps; resets), at random on a 256-byte
/// memory, its findings and count equal a plain list of registered ranges, in flip-flops (up to 16
/// slots) and in block RAM, and every scan takes at most the slots used since reset plus three cycles.
/// </summary>
public class ModelTableRtlTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(5)]     // not a power of two: the mark runs to 5 on a 3-bit index
    [InlineData(16)]
    [InlineData(255)]   // the iCEBreaker's, in block RAM
    public void FindingsEqualAListOfRegisteredRanges(int slots)
    {
        var random = new Random(40 + slots);
        var ops = new List<Op>();
        var expected = new List<(bool Found, bool? Full, int Count, int Mark)>();
        var table = new Reference(slots);
        for (int i = 0; i < 3000; i++)
        {
            // Small ranges on a small memory: addresses repeat, ranges overlap, and 255 slots fill.
            int addr = random.Next(random.Next(4) == 0 ? 16 : 256);
            int end = Math.Min(256, addr + 1 + random.Next(random.Next(3) == 0 ? 64 : 4));
            int choice = random.Next(100);
            if (choice < 2)
            {
                ops.Add(new Op(4, addr, end));
                table = new Reference(slots);
                expected.Add((false, null, 0, 0));
                continue;
            }

            bool drop = choice < 20;
            int mark = table.Mark;
            bool found = table.Has(addr);
            bool full = table.Full;
            ops.Add(new Op(drop ? 1 : 0, addr, end));
            if (drop)
            {
                table.Drop(addr, end);
            }

            expected.Add((found, drop ? null : full, table.Count, mark));
            if (drop)
            {
                continue;
            }

            if (!found && !full && random.Next(4) != 0)
            {
                ops.Add(new Op(2, addr, end));
                table.Add(addr, end);
                expected.Add((false, null, table.Count, -1));   // found stays the scan's
            }
            else if (found && random.Next(3) == 0)
            {
                ops.Add(new Op(3, addr, end));
                table.Remove(addr);
                expected.Add((false, null, table.Count, -1));
            }
        }

        using var folder = new BenchFolder("modeltable");
        File.WriteAllLines(Path.Combine(folder.Path, "mt_vectors.hex"), ops.Select(o => o.Vector.ToString("x6", CultureInfo.InvariantCulture)));
        List<string> lines = ComputeBench.Run("model_table_tb", ["model_table.v"], folder, new Dictionary<string, string>
        {
            ["COUNT"] = ComputeBench.Text(ops.Count),
            ["SLOTS"] = ComputeBench.Text(slots),
        });

        List<int[]> printed = [.. ComputeBench.Only(lines, "R").Select(l => l.Split(' ').Skip(2).Select(int.Parse).ToArray())];
        Assert.Equal(ops.Count, printed.Count);
        Assert.True(expected.Any(e => e.Full == true) || slots == 255, "the table never filled up");
        for (int i = 0; i < ops.Count; i++)
        {
            (bool found, bool? full, int count, int mark) = expected[i];
            string at = $"operation {i} ({ops[i]})";
            Assert.True(found == (printed[i][0] == 1), $"found after {at}");
            if (full is { } f)
            {
                Assert.True(f == (printed[i][1] == 1), $"full after {at}");
            }

            Assert.True(count == printed[i][2], $"count after {at}: {printed[i][2]}, expected {count}");
            if (mark >= 0 && ops[i].Kind <= 1)
            {
                Assert.True(printed[i][3] <= mark + 3, $"{at} took {printed[i][3]} cycles with {mark} slots used");
            }
        }
    }

    /// <summary>One operation of the bench: kind 0 scan, 1 scan that drops overlaps, 2 add, 3 remove, 4 reset.</summary>
    private sealed record Op(int Kind, int Addr, int End)
    {
        public int Vector => (Kind << 17) | (Addr << 9) | End;
    }

    /// <summary>The registered ranges as a list, and the slots used since reset (a freed slot is taken again first).</summary>
    private sealed class Reference(int slots)
    {
        private readonly (int Addr, int End)?[] _slots = new (int, int)?[slots];

        public int Mark { get; private set; }

        public int Count => _slots.Count(s => s is not null);

        public bool Full => Count == slots;

        public bool Has(int addr) => _slots.Any(s => s?.Addr == addr);

        public void Add(int addr, int end)
        {
            int free = Array.FindIndex(_slots, 0, Mark, s => s is null);
            int at = free >= 0 ? free : Mark++;
            _slots[at] = (addr, end);
        }

        public void Remove(int addr) => _slots[Array.FindIndex(_slots, s => s?.Addr == addr)] = null;

        public void Drop(int addr, int end)
        {
            for (int i = 0; i < _slots.Length; i++)
            {
                if (_slots[i] is { } s && addr < s.End && s.Addr < end)
                {
                    _slots[i] = null;
                }
            }
        }
    }
}
