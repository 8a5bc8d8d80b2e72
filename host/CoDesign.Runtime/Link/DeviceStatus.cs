using System.Buffers.Binary;

namespace CoDesign.Runtime.Link;

/// <summary>
/// Payload of a <see cref="FrameType.Status"/> reply:
/// <c>u32 models | u32 resets | u64 frames received | u64 corrupted frames</c>.
/// </summary>
/// <param name="Models">Models registered on the device.</param>
/// <param name="Resets">Soft resets since power-on.</param>
/// <param name="FramesReceived">Frames that passed their checks.</param>
/// <param name="CorruptedFrames">Frames that failed their checks.</param>
public sealed record DeviceStatus(int Models, int Resets, long FramesReceived, long CorruptedFrames)
{
    /// <summary>Encoded size.</summary>
    public const int Size = 24;

    /// <summary>Encodes the status.</summary>
    public byte[] Encode()
    {
        var payload = new byte[Size];
        BinaryPrimitives.WriteUInt32LittleEndian(payload, (uint)Models);
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(4), (uint)Resets);
        BinaryPrimitives.WriteInt64LittleEndian(payload.AsSpan(8), FramesReceived);
        BinaryPrimitives.WriteInt64LittleEndian(payload.AsSpan(16), CorruptedFrames);
        return payload;
    }

    /// <summary>Decodes a status; throws <see cref="InvalidDataException"/> for a payload of the wrong size.</summary>
    public static DeviceStatus Decode(ReadOnlySpan<byte> payload) => payload.Length != Size
        ? throw new InvalidDataException($"status reply of {payload.Length} bytes, expected {Size}")
        : new DeviceStatus(
            (int)BinaryPrimitives.ReadUInt32LittleEndian(payload),
            (int)BinaryPrimitives.ReadUInt32LittleEndian(payload[4..]),
            BinaryPrimitives.ReadInt64LittleEndian(payload[8..]),
            BinaryPrimitives.ReadInt64LittleEndian(payload[16..]));
}
