using System.Globalization;

namespace CoDesign.Hardware.Tests.Link;

/// <summary>hardware/rtl/uart_rx.v and uart_tx.v: 8N1, LSB first, exact bit timing, robust to noise.</summary>
public class UartRtlTests
{
    private enum RxItem : byte
    {
        Byte = 0,
        FramingError = 1,
        Glitch = 2,
    }

    [Theory]
    [InlineData(16, 3)]  // sender's clock up to 3 % off either way
    [InlineData(4, 0)]   // the loopback's rate: only exact timing
    [InlineData(7, 0)]   // an odd number of clocks per bit
    public void ReceiverTakesBytesDropsFramingErrorsAndIgnoresGlitches(int clksPerBit, int maxRateErrorPercent)
    {
        var random = new Random(clksPerBit);
        var items = new List<uint>();
        var expected = new List<string>();
        // Every byte value once, then random bytes, framing errors and glitches.
        for (int i = 0; i < 256 + 120; i++)
        {
            RxItem kind = i < 256 ? RxItem.Byte : (RxItem)random.Next(3);
            byte value = i < 256 ? (byte)i : (byte)random.Next(256);
            int rate = random.Next(-maxRateErrorPercent, maxRateErrorPercent + 1);
            // Bytes may follow each other with no idle time; an error or a glitch needs the line
            // idle for a bit afterwards to be told apart from the next start bit.
            int idle = kind == RxItem.Byte ? random.Next(3) == 0 ? random.Next(1, 4) : 0 : random.Next(1, 3);
            items.Add(((uint)kind << 24) | ((uint)(byte)(sbyte)rate << 16) | ((uint)idle << 8) | value);
            switch (kind)
            {
                case RxItem.Byte:
                    expected.Add($"RX {value:x2}");
                    break;
                case RxItem.FramingError:
                    expected.Add("FE");
                    break;
            }
        }

        using var folder = new BenchFolder("uart-rx");
        LinkBench.WriteHex(folder, "uart_rx_vectors.hex", items.Prepend((uint)items.Count));
        List<string> lines = LinkBench.Run("uart_rx_tb", ["uart_rx.v"], folder, new Dictionary<string, string>
        {
            ["CLKS_PER_BIT"] = clksPerBit.ToString(CultureInfo.InvariantCulture),
            ["ITEMS"] = items.Count.ToString(CultureInfo.InvariantCulture),
        });

        Assert.Equal(expected, LinkBench.Only(lines, "RX", "FE"));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public void TransmitterSendsEveryByteWithExactTimingAndStreamsBackToBack(int clksPerBit)
    {
        var random = new Random(100 + clksPerBit);
        var items = new List<uint>();
        for (int i = 0; i < 300; i++)
        {
            // Mostly streaming (start held high), sometimes a pause shorter or longer than a byte.
            uint gap = random.Next(4) switch { 0 => (uint)random.Next(1, 10), 1 => (uint)random.Next(40, 120), _ => 0u };
            items.Add((gap << 8) | (uint)(i < 256 ? i : random.Next(256)));
        }

        using var folder = new BenchFolder("uart-tx");
        LinkBench.WriteHex(folder, "uart_tx_vectors.hex", items.Prepend((uint)items.Count));
        List<string> lines = LinkBench.Run("uart_tx_tb", ["uart_tx.v"], folder, new Dictionary<string, string>
        {
            ["CLKS_PER_BIT"] = clksPerBit.ToString(CultureInfo.InvariantCulture),
            ["ITEMS"] = items.Count.ToString(CultureInfo.InvariantCulture),
        });

        List<string> sent = LinkBench.Only(lines, "TX");
        Assert.Equal(items.Select(w => $"{w & 0xFF:x2}"), sent.Select(l => l.Split(' ')[1]));
        // Streamed bytes (gap 0) follow the previous stop bit with no idle cycle; the bench checks
        // that itself, and here: the line was idle only where the driver paused.
        for (int i = 1; i < items.Count; i++)
        {
            int idle = int.Parse(sent[i].Split(' ')[2], CultureInfo.InvariantCulture);
            if ((items[i] >> 8) == 0)
            {
                Assert.Equal(0, idle);
            }
        }
    }
}
