using CoDesign.Runtime.Compile;

namespace CoDesign.Runtime.Link;

/// <summary>Payload of a <see cref="FrameType.Write"/> request: a <see cref="DmaDescriptor"/>, then the bytes it moves.</summary>
public static class WriteRequest
{
    /// <summary>Encodes <paramref name="descriptor"/>, its address offset by <paramref name="baseAddress"/>, followed by <paramref name="data"/>.</summary>
    public static byte[] Encode(DmaDescriptor descriptor, int baseAddress, ReadOnlySpan<byte> data)
    {
        var payload = new byte[DmaDescriptor.Size + data.Length];
        descriptor.Encode(payload, baseAddress);
        data.CopyTo(payload.AsSpan(DmaDescriptor.Size));
        return payload;
    }
}
