using CoDesign.Runtime.Link;

namespace CoDesign.Runtime.Tests;

/// <summary>Frames that end where a UART receiver must not accept them: inside an escape, past the size limit.</summary>
public class FrameDecoderEdgeTests
{
    private const int MaxPayload = 16;

    [Fact]
    public void AValidFrameWithADanglingEscapeBeforeTheClosingFlagIsCorrupted()
    {
        byte[] wire = FrameCodec.Encode(new Frame(FrameType.Run, 4, [1, 2, 3]));

        // An escape right before the flag means a byte was lost: the body before it is intact, but
        // the frame is not what was sent.
        (int frames, int corrupted) = Feed(new FrameDecoder(MaxPayload), [.. wire[..^1], FrameCodec.Escape, FrameCodec.Flag]);

        Assert.Equal((0, 1), (frames, corrupted));
    }

    [Fact]
    public void AFrameOfNothingButAnEscapeIsReportedCorrupted()
    {
        var decoder = new FrameDecoder(MaxPayload);

        (int frames, int corrupted) = Feed(decoder, [FrameCodec.Flag, FrameCodec.Escape, FrameCodec.Flag]);

        Assert.Equal((0, 1), (frames, corrupted));
        Assert.Equal(1, decoder.CorruptedFrames);
    }

    [Fact]
    public void BackToBackFlagsAreIdleLineNotCorruption()
    {
        (int frames, int corrupted) = Feed(new FrameDecoder(MaxPayload), [FrameCodec.Flag, FrameCodec.Flag, FrameCodec.Flag]);

        Assert.Equal((0, 0), (frames, corrupted));
    }

    [Fact]
    public void AFrameOfExactlyTheLargestPayloadIsAccepted()
    {
        var decoder = new FrameDecoder(MaxPayload);
        byte[] payload = [.. Enumerable.Range(100, MaxPayload).Select(i => (byte)i)];

        (int frames, int corrupted) = Feed(decoder, FrameCodec.Encode(new Frame(FrameType.Write, 2, payload)));

        Assert.Equal((1, 0), (frames, corrupted));
        Assert.Equal(payload, decoder.Frame.Payload);
    }

    [Fact]
    public void AValidLargestFrameFollowedByOneMoreByteOverflowsAndIsCorrupted()
    {
        // The first bytes alone would pass every check; the extra byte means the frame is longer
        // than the decoder keeps, so it must not be accepted as the truncated version.
        byte[] wire = FrameCodec.Encode(new Frame(FrameType.Write, 2, new byte[MaxPayload]));
        var decoder = new FrameDecoder(MaxPayload);

        (int frames, int corrupted) = Feed(decoder, [.. wire[..^1], 0x00, FrameCodec.Flag]);

        Assert.Equal((0, 1), (frames, corrupted));
    }

    [Fact]
    public void AnEscapedByteAfterTheLimitAlsoOverflows()
    {
        byte[] wire = FrameCodec.Encode(new Frame(FrameType.Write, 2, new byte[MaxPayload]));

        (int frames, int corrupted) = Feed(new FrameDecoder(MaxPayload), [.. wire[..^1], FrameCodec.Escape, FrameCodec.Flag ^ FrameCodec.EscapeXor, FrameCodec.Flag]);

        Assert.Equal((0, 1), (frames, corrupted));
    }

    [Fact]
    public void AFrameShorterThanItsHeaderAndCrcIsCorrupted()
    {
        byte[] wire = FrameCodec.Encode(new Frame(FrameType.Hello, 1, []));

        // One byte short of the 8 every frame has, even an empty one.
        (int frames, int corrupted) = Feed(new FrameDecoder(MaxPayload), [.. wire[..^2], FrameCodec.Flag]);

        Assert.Equal((0, 1), (frames, corrupted));
    }

    private static (int Frames, int Corrupted) Feed(FrameDecoder decoder, byte[] wire)
    {
        int frames = 0;
        int corrupted = 0;
        foreach (byte b in wire)
        {
            switch (decoder.Push(b))
            {
                case DecodeResult.Frame:
                    frames++;
                    break;
                case DecodeResult.Corrupted:
                    corrupted++;
                    break;
            }
        }

        return (frames, corrupted);
    }
}
