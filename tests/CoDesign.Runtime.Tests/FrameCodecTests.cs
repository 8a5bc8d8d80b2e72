using CoDesign.Runtime.Link;
using FsCheck;
using FsCheck.Fluent;

namespace CoDesign.Runtime.Tests;

public class FrameCodecTests
{
    private static List<Frame> DecodeAll(FrameDecoder decoder, IEnumerable<byte> wire, out int corrupted)
    {
        var frames = new List<Frame>();
        corrupted = 0;
        foreach (byte b in wire)
        {
            switch (decoder.Push(b))
            {
                case DecodeResult.Frame:
                    frames.Add(decoder.Frame);
                    break;
                case DecodeResult.Corrupted:
                    corrupted++;
                    break;
            }
        }

        return frames;
    }

    [Fact]
    public void FlagAndEscapeBytesInThePayloadAreStuffed()
    {
        byte[] payload = [0x7E, 0x7D, 0x00, 0x7E, 0x5E, 0x5D];
        byte[] wire = FrameCodec.Encode(new Frame(FrameType.Write, 0x7E, payload));

        Assert.Equal(FrameCodec.Flag, wire[0]);
        Assert.Equal(FrameCodec.Flag, wire[^1]);
        Assert.DoesNotContain(FrameCodec.Flag, wire[1..^1]);
        Frame frame = Assert.Single(DecodeAll(new FrameDecoder(), wire, out _));
        Assert.Equal(FrameType.Write, frame.Type);
        Assert.Equal(0x7E, frame.Sequence);
        Assert.Equal(payload, frame.Payload);
    }

    [Fact]
    public void AnyPayloadRoundTrips() =>
        Prop.ForAll<byte[], byte>((payload, sequence) =>
        {
            byte[] wire = FrameCodec.Encode(new Frame(FrameType.Run, sequence, payload));
            List<Frame> frames = DecodeAll(new FrameDecoder(), wire, out int corrupted);
            return corrupted == 0 && frames.Count == 1 && frames[0].Payload.SequenceEqual(payload) && frames[0].Sequence == sequence;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void EveryFlippedBitIsCaught()
    {
        byte[] wire = FrameCodec.Encode(new Frame(FrameType.Write, 3, [1, 2, 3, 4, 5, 6, 7, 8]));
        for (int position = 1; position < wire.Length - 1; position++)
        {
            for (int bit = 0; bit < 8; bit++)
            {
                byte[] damaged = (byte[])wire.Clone();
                damaged[position] ^= (byte)(1 << bit);
                List<Frame> frames = DecodeAll(new FrameDecoder(), damaged, out _);
                Assert.Empty(frames);
            }
        }
    }

    [Fact]
    public void GarbageBetweenFramesIsSkippedAndTheNextFrameStillArrives()
    {
        var random = new Random(1);
        var garbage = new byte[5000];
        random.NextBytes(garbage);
        byte[] good = FrameCodec.Encode(new Frame(FrameType.Hello, 9, []));
        var decoder = new FrameDecoder(maxPayload: 256);

        List<Frame> frames = DecodeAll(decoder, garbage.Concat(good), out _);

        Assert.Equal(FrameType.Hello, frames[^1].Type);
        Assert.Equal(9, frames[^1].Sequence);
    }

    [Fact]
    public void AnOverlongFrameIsCutOffNotBuffered()
    {
        byte[] big = FrameCodec.Encode(new Frame(FrameType.Write, 1, new byte[1000]));
        byte[] small = FrameCodec.Encode(new Frame(FrameType.Hello, 2, []));

        List<Frame> frames = DecodeAll(new FrameDecoder(maxPayload: 100), big.Concat(small), out int corrupted);

        Assert.Equal(1, corrupted);
        Assert.Equal(FrameType.Hello, Assert.Single(frames).Type);
    }
}
