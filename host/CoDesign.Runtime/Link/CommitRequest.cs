using System.Buffers.Binary;

namespace CoDesign.Runtime.Link;

/// <summary>Payload of a <see cref="FrameType.Commit"/> request: <c>u32 address | u32 length | u32 CRC-32</c> of an image in device memory.</summary>
public static class CommitRequest
{
    /// <summary>Payload bytes.</summary>
    public const int Size = 12;

    /// <summary>Encodes a Commit of the <paramref name="length"/> bytes at <paramref name="address"/> whose CRC-32 is <paramref name="checksum"/>.</summary>
    public static byte[] Encode(int address, int length, uint checksum)
    {
        var payload = new byte[Size];
        BinaryPrimitives.WriteUInt32LittleEndian(payload, (uint)address);
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(4), (uint)length);
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(8), checksum);
        return payload;
    }

    /// <summary>The address, length and CRC-32 of a Commit payload (<see cref="Size"/> bytes, which the caller has checked).</summary>
    public static (uint Address, uint Length, uint Checksum) Decode(ReadOnlySpan<byte> payload) => (
        BinaryPrimitives.ReadUInt32LittleEndian(payload),
        BinaryPrimitives.ReadUInt32LittleEndian(payload[4..]),
        BinaryPrimitives.ReadUInt32LittleEndian(payload[8..]));
}
