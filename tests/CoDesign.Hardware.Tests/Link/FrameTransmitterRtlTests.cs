using System.Globalization;
using CoDesign.Runtime.Link;

namespace CoDesign.Hardware.Tests.Link;

/// <summary>
/// hardware/rtl/frame_transmitter.v emits, byte for byte, what FrameCodec.Encode produces, and the
/// C# FrameDecoder reads it back; also when its output is throttled.
/// </summary>
public class FrameTransmitterRtlTests
{
    private static readonly string[] Rtl = ["crc32_update_byte.v", "frame_transmitter.v"];

    private static void SendAndCompare(IReadOnlyList<Frame> frames, int maxPayload, int stallPercent)
    {
        var words = new List<uint> { (uint)frames.Count };
        foreach (Frame frame in frames)
        {
            words.Add(((uint)frame.Type << 24) | ((uint)frame.Sequence << 16) | (uint)frame.Payload.Length);
            words.AddRange(frame.Payload.Select(b => (uint)b));
        }

        using var folder = new BenchFolder("frame-transmitter");
        LinkBench.WriteHex(folder, "tx_frames.hex", words);
        List<string> lines = LinkBench.Run("frame_transmitter_tb", Rtl, folder, new Dictionary<string, string>
        {
            ["MAX_PAYLOAD"] = maxPayload.ToString(CultureInfo.InvariantCulture),
            ["WORDS"] = words.Count.ToString(CultureInfo.InvariantCulture),
            ["STALL"] = stallPercent.ToString(CultureInfo.InvariantCulture),
        });

        List<string> sent = LinkBench.Only(lines, "TXFRAME");
        Assert.Equal(frames.Count, sent.Count);
        var allBytes = new List<byte>();
        for (int i = 0; i < frames.Count; i++)
        {
            string[] fields = sent[i].Split(' ');
            Assert.Equal(i.ToString(CultureInfo.InvariantCulture), fields[1]);
            byte[] wire = Convert.FromHexString(fields[2]);
            Assert.Equal(FrameCodec.Encode(frames[i]), wire);
            allBytes.AddRange(wire);
        }

        // And the C# receiver takes every one of them back, as sent.
        List<Frame> decoded = LinkBench.DecodeFrames(allBytes);
        Assert.Equal(frames.Count, decoded.Count);
        for (int i = 0; i < frames.Count; i++)
        {
            LinkBench.AssertSameFrame(frames[i], decoded[i]);
        }
    }

    [Fact]
    public void FramesAreEncodedExactlyAsFrameCodecEncodes()
    {
        const int maxPayload = 1024;
        var random = new Random(41);
        var frames = new List<Frame>
        {
            new(FrameType.Hello, 0, []),
            new((FrameType)0x7E, 0x7D, [0x7E]),
            LinkBench.RandomFrame(random, maxPayload),
            LinkBench.RandomFrame(random, maxPayload, stuffy: true),
            new(FrameType.Write, 0x7E, Enumerable.Repeat(FrameCodec.Flag, 300).ToArray()),
            new(FrameType.Write, 0x7E, Enumerable.Repeat(FrameCodec.Escape, 300).ToArray()),
        };
        for (int i = 0; i < 40; i++)
        {
            frames.Add(LinkBench.RandomFrame(random, random.Next(3) == 0 ? random.Next(3) : random.Next(100), stuffy: random.Next(2) == 0));
        }

        SendAndCompare(frames, maxPayload, stallPercent: 0);
    }

    [Theory]
    [InlineData(64, 30)]
    [InlineData(64, 90)]
    [InlineData(100, 50)]  // a buffer size that is not a power of two
    [InlineData(1, 50)]    // the smallest buffer
    public void ThrottledOutputHoldsStillAndLosesNothing(int maxPayload, int stallPercent)
    {
        var random = new Random(maxPayload * 100 + stallPercent);
        var frames = new List<Frame>
        {
            LinkBench.RandomFrame(random, maxPayload, stuffy: true),
            LinkBench.RandomFrame(random, 0),
        };
        for (int i = 0; i < 25; i++)
        {
            frames.Add(LinkBench.RandomFrame(random, random.Next(maxPayload + 1), stuffy: random.Next(2) == 0));
        }

        SendAndCompare(frames, maxPayload, stallPercent);
    }
}
