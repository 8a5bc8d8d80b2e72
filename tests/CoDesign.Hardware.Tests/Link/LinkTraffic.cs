using CoDesign.Runtime.Link;

namespace CoDesign.Hardware.Tests.Link;

/// <summary>
/// A byte stream as a receiver might see it, built from frames encoded by <see cref="FrameCodec"/>,
/// some of them damaged on purpose, and noise; it remembers which frames must arrive.
/// </summary>
internal sealed class LinkTraffic(Random random)
{
    public List<byte> Wire { get; } = [];

    /// <summary>The frames that went onto the wire undamaged, in order: exactly these must be received.</summary>
    public List<Frame> Intact { get; } = [];

    /// <summary>How many frames were damaged: each must be reported, none accepted.</summary>
    public int Damaged { get; private set; }

    public void Good(Frame frame)
    {
        Wire.AddRange(FrameCodec.Encode(frame));
        Intact.Add(frame);
    }

    /// <summary>A frame the receiver must refuse as a whole (e.g. too long for its buffer).</summary>
    public void Refused(Frame frame)
    {
        Wire.AddRange(FrameCodec.Encode(frame));
        Damaged++;
    }

    /// <summary>The frame with one bit flipped between its flags.</summary>
    public void FlippedBit(Frame frame)
    {
        byte[] wire = FrameCodec.Encode(frame);
        wire[random.Next(1, wire.Length - 1)] ^= (byte)(1 << random.Next(8));
        Wire.AddRange(wire);
        Damaged++;
    }

    /// <summary>The frame with one byte between its flags lost.</summary>
    public void DroppedByte(Frame frame)
    {
        var wire = FrameCodec.Encode(frame).ToList();
        wire.RemoveAt(random.Next(1, wire.Count - 1));
        Wire.AddRange(wire);
        Damaged++;
    }

    /// <summary>The frame with <paramref name="count"/> more bytes before its closing flag.</summary>
    public void TrailingBytes(Frame frame, int count)
    {
        var extra = new byte[count];
        for (int i = 0; i < count; i++)
        {
            extra[i] = (byte)random.Next(FrameCodec.Escape);
        }

        Trailing(frame, extra);
    }

    /// <summary>
    /// The frame with 4 more bytes before its closing flag that keep the CRC right: the CRC of the
    /// body and its CRC (the CRC-32 residue, complemented, little-endian). Only the length tells.
    /// </summary>
    public void TrailingCrcOfCrc(Frame frame) => Trailing(frame, [0x1C, 0xDF, 0x44, 0x21]);

    private void Trailing(Frame frame, byte[] extra)
    {
        byte[] wire = FrameCodec.Encode(frame);
        Wire.AddRange(wire.AsSpan(0, wire.Length - 1).ToArray());
        Wire.AddRange(extra);
        Wire.Add(FrameCodec.Flag);
        Damaged++;
    }

    /// <summary>The frame with a dangling escape before its closing flag: a perfect body, ending inside an escape.</summary>
    public void DanglingEscape(Frame frame)
    {
        byte[] wire = FrameCodec.Encode(frame);
        Wire.AddRange(wire.AsSpan(0, wire.Length - 1).ToArray());
        Wire.Add(FrameCodec.Escape);
        Wire.Add(FrameCodec.Flag);
        Damaged++;
    }

    /// <summary>The frame cut off before its closing flag (the next flag ends it).</summary>
    public void Truncated(Frame frame)
    {
        byte[] wire = FrameCodec.Encode(frame);
        Wire.AddRange(wire.AsSpan(0, random.Next(2, wire.Length - 1)).ToArray());
        Damaged++;
    }

    /// <summary>Random bytes, flags and escapes among them.</summary>
    public void Garbage(int count)
    {
        for (int i = 0; i < count; i++)
        {
            Wire.Add(random.Next(8) switch
            {
                0 => FrameCodec.Flag,
                1 => FrameCodec.Escape,
                _ => (byte)random.Next(256),
            });
        }
    }

    /// <summary>Random bytes without a single flag: the receiver must survive any amount of them.</summary>
    public void FlaglessNoise(int count)
    {
        for (int i = 0; i < count; i++)
        {
            byte b = (byte)random.Next(256);
            Wire.Add(b == FrameCodec.Flag ? (byte)0 : b);
        }
    }

    public void Raw(params byte[] bytes) => Wire.AddRange(bytes);
}
