using System.Globalization;

namespace CoDesign.Hardware.Tests.Compute;

/// <summary>
/// hardware/rtl/broadcast_fifo.v, the queue of broadcasts in pe.v and compiled_pe.v: every nonzero broadcast
/// comes out once, in the order offered, zero ones never; it takes no broadcast while full, and the bench
/// checks that it never holds more than its depth and is empty exactly when it holds none. With its head in
/// a register (compiled_pe's) it pops the same broadcasts in the same cycles.
/// </summary>
public class BroadcastFifoRtlTests
{
    [Theory]
    [InlineData(8, 0, 100, 1)]      // a consumer that pops every cycle: never full
    [InlineData(8, 0, 20, 2)]       // a slow consumer: the queue fills and the offers wait
    [InlineData(2, 40, 50, 3)]
    [InlineData(4, 70, 90, 4)]
    public void Broadcasts_leave_in_order_and_zero_ones_are_dropped(int depth, int gapPercent, int popPercent, int seed)
    {
        var random = new Random(seed);
        (int Col, int Value)[] offers = [.. Enumerable.Range(0, 300).Select(_ => (random.Next(1024), random.Next(3) == 0 ? 0 : random.Next(1, 256)))];
        List<string> lines = Run(offers, depth, gapPercent, popPercent, seed, headRegister: false);

        // Each pop's line has its cycle: equal lines are the same pops in the same cycles.
        Assert.Equal(lines, Run(offers, depth, gapPercent, popPercent, seed, headRegister: true));
        Assert.Equal(
            offers.Where(o => o.Value != 0).Select(o => string.Create(CultureInfo.InvariantCulture, $"POP {o.Col} {o.Value}")),
            ComputeBench.Only(lines, "POP").Select(l => string.Join(' ', l.Split(' ').Take(3))));
        int fullCycles = int.Parse(ComputeBench.Only(lines, "FULL").Single().Split(' ')[1], CultureInfo.InvariantCulture);
        if (popPercent == 100)
        {
            Assert.Equal(0, fullCycles);
        }
        else if (popPercent <= 20)
        {
            Assert.True(fullCycles > 0, "the slow consumer never let the queue fill");
        }
    }

    private static List<string> Run((int Col, int Value)[] offers, int depth, int gapPercent, int popPercent, int seed, bool headRegister)
    {
        using var folder = new BenchFolder("broadcast-fifo");
        ComputeBench.WriteHex(folder, "bf_offers.hex", offers.Select(o => (ulong)((o.Col << 8) | o.Value)), 5);
        return ComputeBench.Run("broadcast_fifo_tb", ["broadcast_fifo.v"], folder, new Dictionary<string, string>
        {
            ["COUNT"] = ComputeBench.Text(offers.Length),
            ["DEPTH"] = ComputeBench.Text(depth),
            ["GAP_PERCENT"] = ComputeBench.Text(gapPercent),
            ["POP_PERCENT"] = ComputeBench.Text(popPercent),
            ["SEED"] = ComputeBench.Text(seed),
            ["HEAD_REGISTER"] = headRegister ? "1" : "0",
        });
    }
}
