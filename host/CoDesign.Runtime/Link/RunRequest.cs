using System.Buffers.Binary;

namespace CoDesign.Runtime.Link;

/// <summary>Payload of a <see cref="FrameType.Run"/> request: <c>u32 model address | u16 count | u16 reserved | count x inputs</c>.</summary>
public static class RunRequest
{
    /// <summary>Bytes before the inputs.</summary>
    public const int HeaderSize = 8;

    /// <summary>Encodes a batch of <paramref name="count"/> inputs for the model at <paramref name="modelAddress"/>.</summary>
    public static byte[] Encode(int modelAddress, int count, ReadOnlySpan<byte> inputs)
    {
        var payload = new byte[HeaderSize + inputs.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(payload, (uint)modelAddress);
        BinaryPrimitives.WriteUInt16LittleEndian(payload.AsSpan(4), (ushort)count);
        inputs.CopyTo(payload.AsSpan(HeaderSize));
        return payload;
    }

    /// <summary>Decodes the header; null when the payload is too short.</summary>
    public static (int ModelAddress, int Count)? DecodeHeader(ReadOnlySpan<byte> payload) =>
        payload.Length < HeaderSize
            ? null
            : ((int)BinaryPrimitives.ReadUInt32LittleEndian(payload), BinaryPrimitives.ReadUInt16LittleEndian(payload[4..]));
}
