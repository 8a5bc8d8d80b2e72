using CoDesign.Runtime.Link;

namespace CoDesign.Runtime.Tests;

/// <summary>What the frame format can carry: up to 65,535 payload bytes, and any byte escaped the HDLC way.</summary>
public class FrameSizeLimitTests
{
    [Fact]
    public void APayloadOfExactlyTheLengthFieldsMaximumIsEncodedAndDecoded()
    {
        byte[] payload = new byte[Frame.MaxPayload];
        new Random(7).NextBytes(payload);
        var decoder = new FrameDecoder();

        DecodeResult last = DecodeResult.Pending;
        foreach (byte b in FrameCodec.Encode(new Frame(FrameType.Write, 1, payload)))
        {
            last = decoder.Push(b);
        }

        Assert.Equal(DecodeResult.Frame, last);
        Assert.Equal(payload, decoder.Frame.Payload);
    }

    [Fact]
    public void APayloadOneByteLongerIsRefusedByTheEncoder()
    {
        var error = Assert.Throws<ArgumentException>(() => FrameCodec.Encode(new Frame(FrameType.Write, 1, new byte[Frame.MaxPayload + 1])));

        Assert.Contains("65536 bytes exceeds 65535", error.Message);
    }

    [Fact]
    public void ASenderThatEscapesEveryByteIsUnderstood()
    {
        // HDLC lets a sender escape any byte (RFC 1662's control-character map), and the receiver
        // undoes it with XOR 0x20 whatever the byte; escaping more than needed is still valid.
        byte[] body = FrameCodec.Encode(new Frame(FrameType.Status, 6, [0x00, 0x41, 0x7F, 0xFF]));
        var wire = new List<byte> { FrameCodec.Flag };
        foreach (byte b in Unstuffed(body))
        {
            wire.Add(FrameCodec.Escape);
            wire.Add((byte)(b ^ FrameCodec.EscapeXor));
        }

        wire.Add(FrameCodec.Flag);
        var decoder = new FrameDecoder();
        DecodeResult[] results = [.. wire.Select(decoder.Push)];

        Assert.Equal(DecodeResult.Frame, results[^1]);
        Assert.Equal([0x00, 0x41, 0x7F, 0xFF], decoder.Frame.Payload);
    }

    // The body between the flags with the sender's minimal escaping undone.
    private static List<byte> Unstuffed(byte[] wire)
    {
        var body = new List<byte>();
        for (int i = 1; i < wire.Length - 1; i++)
        {
            body.Add(wire[i] == FrameCodec.Escape ? (byte)(wire[++i] ^ FrameCodec.EscapeXor) : wire[i]);
        }

        return body;
    }
}
