using System.Buffers.Binary;
using CoDesign.Kernels;

namespace CoDesign.Runtime.Link;

/// <summary>
/// Turns frames into bytes on the wire and back. On the wire a frame is delimited by the flag byte
/// 0x7E; inside, 0x7E and 0x7D are sent as 0x7D followed by the byte XOR 0x20 (HDLC byte stuffing),
/// so a receiver that lost sync finds the next frame at the next flag. Unstuffed, a frame is
/// <c>type u8 | sequence u8 | payload length u16 | payload | CRC-32 u32</c>, little-endian, the
/// CRC covering everything before it. Small enough for a UART state machine in hardware.
/// </summary>
public static class FrameCodec
{
    /// <summary>Frame delimiter.</summary>
    public const byte Flag = 0x7E;

    /// <summary>Escape byte.</summary>
    public const byte Escape = 0x7D;

    /// <summary>XOR applied to an escaped byte.</summary>
    public const byte EscapeXor = 0x20;

    /// <summary>Unstuffed bytes around the payload: 4 header bytes and 4 CRC bytes.</summary>
    public const int Overhead = 8;

    /// <summary>The wire bytes of one frame, flags included.</summary>
    public static byte[] Encode(Frame frame)
    {
        if (frame.Payload.Length > Frame.MaxPayload)
        {
            throw new ArgumentException($"payload of {frame.Payload.Length} bytes exceeds {Frame.MaxPayload}", nameof(frame));
        }

        var body = new byte[Overhead + frame.Payload.Length];
        body[0] = (byte)frame.Type;
        body[1] = frame.Sequence;
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(2), (ushort)frame.Payload.Length);
        frame.Payload.CopyTo(body, 4);
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(4 + frame.Payload.Length), Crc32.Compute(body.AsSpan(0, 4 + frame.Payload.Length)));

        return Stuff(body);
    }

    /// <summary>
    /// Puts an unstuffed body (type through CRC) on the wire: escapes flag and escape bytes and adds
    /// the flags. <see cref="Encode"/> uses it; tests use it to send bodies with deliberate faults.
    /// </summary>
    public static byte[] Stuff(ReadOnlySpan<byte> body)
    {
        // Stryker disable once Arithmetic : equivalent, see tests/mutation/EQUIVALENT.md (an initial capacity)
        var wire = new List<byte>(body.Length + 8) { Flag };
        foreach (byte b in body)
        {
            if (b is Flag or Escape)
            {
                wire.Add(Escape);
                wire.Add((byte)(b ^ EscapeXor));
            }
            else
            {
                wire.Add(b);
            }
        }

        wire.Add(Flag);
        return [.. wire];
    }
}
