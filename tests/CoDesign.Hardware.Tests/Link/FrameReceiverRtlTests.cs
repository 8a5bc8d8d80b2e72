using System.Buffers.Binary;
using CoDesign.Kernels;
using CoDesign.Runtime.Link;

namespace CoDesign.Hardware.Tests.Link;

/// <summary>
/// hardware/rtl/frame_receiver.v under Icarus Verilog decides exactly as the C# FrameDecoder does:
/// same good frames (type, sequence, payload), same corrupted ones, at the same byte.
/// </summary>
public class FrameReceiverRtlTests
{
    private static readonly string[] Rtl = ["crc32_update_byte.v", "frame_receiver.v"];

    /// <summary>
    /// Runs the bench on <paramref name="wire"/> (random idle cycles between bytes when
    /// <paramref name="gaps"/> is given), checks it against FrameDecoder line for line and returns
    /// the frames it received.
    /// </summary>
    private static List<Frame> ReceiveAndCompare(IReadOnlyList<byte> wire, int maxPayload, Random? gaps = null)
    {
        using var folder = new BenchFolder("frame-receiver");
        var words = new List<uint> { (uint)wire.Count };
        foreach (byte b in wire)
        {
            uint gap = gaps is null ? 0u : gaps.Next(6) switch { 0 => 1u, 1 => (uint)gaps.Next(2, 12), _ => 0u };
            words.Add((gap << 8) | b);
        }

        LinkBench.WriteHex(folder, "rx_wire.hex", words);
        List<string> lines = LinkBench.Run("frame_receiver_tb", Rtl, folder, new Dictionary<string, string>
        {
            ["MAX_PAYLOAD"] = maxPayload.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["BYTES"] = wire.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

        List<string> results = LinkBench.Only(lines, "FRAME", "ERROR");
        Assert.Equal(LinkBench.DecoderLines(wire, maxPayload), results);

        return results.Where(l => l.StartsWith("FRAME", StringComparison.Ordinal)).Select(l =>
        {
            string[] f = l.Split(' ');
            return new Frame((FrameType)Convert.ToByte(f[2], 16), Convert.ToByte(f[3], 16), LinkBench.ParseHex(f[5]));
        }).ToList();
    }

    private static void AssertExactlyTheIntactFrames(LinkTraffic traffic, List<Frame> received)
    {
        Assert.Equal(traffic.Intact.Count, received.Count);
        for (int i = 0; i < received.Count; i++)
        {
            LinkBench.AssertSameFrame(traffic.Intact[i], received[i]);
        }
    }

    [Fact]
    public void RandomTrafficIsReceivedAsTheCSharpDecoderReceivesIt()
    {
        const int maxPayload = 1024;
        var random = new Random(11);
        var traffic = new LinkTraffic(random);
        traffic.Garbage(40);
        traffic.Good(LinkBench.RandomFrame(random, 0));
        traffic.Good(LinkBench.RandomFrame(random, maxPayload));
        traffic.Good(LinkBench.RandomFrame(random, 200, stuffy: true));
        traffic.Refused(LinkBench.RandomFrame(random, maxPayload + 1));
        traffic.Good(LinkBench.RandomFrame(random, maxPayload, stuffy: true));
        for (int i = 0; i < 60; i++)
        {
            Frame frame = LinkBench.RandomFrame(random, random.Next(4) == 0 ? random.Next(3) : random.Next(80), stuffy: random.Next(3) == 0);
            switch (random.Next(11))
            {
                case 10:
                    traffic.DanglingEscape(frame);
                    break;
                case 0:
                    traffic.FlippedBit(frame);
                    break;
                case 1:
                    traffic.DroppedByte(frame);
                    break;
                case 2:
                    traffic.Truncated(frame);
                    break;
                case 3:
                    traffic.Garbage(random.Next(1, 30));
                    traffic.Good(frame);
                    break;
                case 4:
                    traffic.Raw(FrameCodec.Flag, FrameCodec.Flag);
                    traffic.Good(frame);
                    break;
                default:
                    traffic.Good(frame);
                    break;
            }
        }

        traffic.Good(LinkBench.RandomFrame(random, 5));
        Assert.True(traffic.Damaged > 10);

        List<Frame> received = ReceiveAndCompare(traffic.Wire, maxPayload, new Random(12));

        AssertExactlyTheIntactFrames(traffic, received);
    }

    [Fact]
    public void OverlongFramesAndEndlessNoiseAreCutOffAndTheNextFrameArrives()
    {
        const int maxPayload = 16;
        var random = new Random(21);
        var traffic = new LinkTraffic(random);
        traffic.Good(LinkBench.RandomFrame(random, maxPayload, stuffy: true));
        traffic.Refused(LinkBench.RandomFrame(random, maxPayload + 1));
        traffic.Refused(LinkBench.RandomFrame(random, 300));
        traffic.Good(LinkBench.RandomFrame(random, maxPayload));
        // A good full-size frame with bytes after its CRC: the body is too long for the buffer,
        // even though its first MAX_PAYLOAD + 8 bytes are a perfect frame.
        traffic.TrailingBytes(LinkBench.RandomFrame(random, maxPayload), 1);
        traffic.TrailingBytes(LinkBench.RandomFrame(random, maxPayload), 5);
        traffic.TrailingBytes(LinkBench.RandomFrame(random, 3), 1);
        traffic.TrailingCrcOfCrc(LinkBench.RandomFrame(random, 3));
        traffic.TrailingCrcOfCrc(LinkBench.RandomFrame(random, maxPayload));
        traffic.TrailingCrcOfCrc(LinkBench.RandomFrame(random, maxPayload - 4));
        traffic.Raw(FrameCodec.Flag);
        traffic.FlaglessNoise(3000); // far past the buffer, inside a frame
        traffic.Good(LinkBench.RandomFrame(random, 3));
        traffic.Raw(FrameCodec.Flag, FrameCodec.Escape);
        traffic.FlaglessNoise(500);
        traffic.Good(LinkBench.RandomFrame(random, 0));

        List<Frame> received = ReceiveAndCompare(traffic.Wire, maxPayload);

        AssertExactlyTheIntactFrames(traffic, received);
    }

    [Fact]
    public void EveryFlippedBitIsReportedAndTheIntactCopyAfterItArrives()
    {
        var random = new Random(31);
        Frame frame = new(FrameType.Write, 0x7E, [0x7D, 1, 2, 0x7E, 4, 5, 6, 7]);
        byte[] intact = FrameCodec.Encode(frame);
        var traffic = new LinkTraffic(random);
        for (int position = 1; position < intact.Length - 1; position++)
        {
            for (int bit = 0; bit < 8; bit++)
            {
                byte[] damaged = (byte[])intact.Clone();
                damaged[position] ^= (byte)(1 << bit);
                traffic.Raw(damaged);
                traffic.Good(frame);
            }
        }

        List<Frame> received = ReceiveAndCompare(traffic.Wire, 64);

        AssertExactlyTheIntactFrames(traffic, received);
    }

    [Theory]
    [InlineData("7e7e7e7e")]                   // idle flags: nothing
    [InlineData("0102037d7d")]                 // noise before any flag: nothing
    [InlineData("7e7d7e")]                     // ends inside an escape
    [InlineData("7e017e")]                     // shorter than the overhead
    [InlineData("7e7d7d7e")]                   // an escaped escape, then the flag
    [InlineData("7e01020000e1a4dfca7e")]       // garbage that happens to be 8 bytes
    [InlineData("7e7d5e7d5d7e")]               // escapes of real flag and escape bytes, too short
    public void EdgeCasesMatchTheDecoder(string hex)
    {
        var wire = Convert.FromHexString(hex).ToList();
        // A good frame after each case: whatever came before, the receiver is not stuck.
        Frame after = new(FrameType.Hello, 1, [0x7E]);
        wire.AddRange(FrameCodec.Encode(after));

        List<Frame> received = ReceiveAndCompare(wire, 16);

        LinkBench.AssertSameFrame(after, received[^1]);
    }

    [Fact]
    public void LengthFieldsThatDisagreeWithTheBodyAreRejected()
    {
        const int maxPayload = 16;
        var wire = new List<byte>();
        var expected = new List<byte[]>();
        // Payloads of 4 bytes and of the full buffer, with length fields that say otherwise and a
        // correct CRC; only the honest ones may pass.
        foreach (int size in new[] { 4, maxPayload })
        {
            foreach (int claimed in new[] { 0, 2, size - 1, size, size + 1, size + 4, 0x0104, 0xFFFF })
            {
                byte[] body = new byte[8 + size];
                body[0] = 0x02;
                body[1] = 0x09;
                BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(2), (ushort)claimed);
                for (int i = 0; i < size; i++)
                {
                    body[4 + i] = (byte)(i + 1);
                }

                BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(4 + size), Crc32.Compute(body.AsSpan(0, 4 + size)));
                wire.AddRange(LinkBench.Stuff(body));
                if (claimed == size)
                {
                    expected.Add(body[4..(4 + size)]);
                }
            }
        }

        List<Frame> received = ReceiveAndCompare(wire, maxPayload);

        Assert.Equal(expected, received.Select(f => f.Payload));
    }
}
