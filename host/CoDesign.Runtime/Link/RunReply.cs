using System.Buffers.Binary;

namespace CoDesign.Runtime.Link;

/// <summary>
/// Payload of a <see cref="FrameType.Run"/> reply: the outputs of a batch and what computing them cost.
/// <code>
/// u16 count | u16 reserved | u32 output size | u64 cycles | u64 entries | u64 shift-add steps |
/// u64 broadcasts | count x output size x i32
/// </code>
/// </summary>
/// <param name="Count">Inputs in the batch.</param>
/// <param name="OutputSize">Outputs per input.</param>
/// <param name="Cycles">Device clock cycles the batch took by the device's cost model.</param>
/// <param name="Entries">CCS entries the PEs consumed.</param>
/// <param name="ShiftAddSteps">Add/subtract steps of the shift-add multipliers.</param>
/// <param name="Broadcasts">Nonzero activations broadcast to the PEs.</param>
/// <param name="Outputs">All outputs, input after input.</param>
public sealed record RunReply(int Count, int OutputSize, long Cycles, long Entries, long ShiftAddSteps, long Broadcasts, int[] Outputs)
{
    /// <summary>Bytes before the outputs.</summary>
    public const int HeaderSize = 40;

    /// <summary>Payload bytes of a reply for <paramref name="count"/> inputs.</summary>
    public static long PayloadSize(int count, int outputSize) => HeaderSize + (4L * count * outputSize);

    /// <summary>Encodes the reply.</summary>
    public byte[] Encode()
    {
        var payload = new byte[PayloadSize(Count, OutputSize)];
        Span<byte> p = payload;
        BinaryPrimitives.WriteUInt16LittleEndian(p, (ushort)Count);
        BinaryPrimitives.WriteUInt32LittleEndian(p[4..], (uint)OutputSize);
        BinaryPrimitives.WriteInt64LittleEndian(p[8..], Cycles);
        BinaryPrimitives.WriteInt64LittleEndian(p[16..], Entries);
        BinaryPrimitives.WriteInt64LittleEndian(p[24..], ShiftAddSteps);
        BinaryPrimitives.WriteInt64LittleEndian(p[32..], Broadcasts);
        for (int i = 0; i < Outputs.Length; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(p[(HeaderSize + (4 * i))..], Outputs[i]);
        }

        return payload;
    }

    /// <summary>Decodes a reply; throws <see cref="InvalidDataException"/> when its size does not match its header.</summary>
    public static RunReply Decode(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < HeaderSize)
        {
            throw new InvalidDataException($"run reply of {payload.Length} bytes is shorter than its header");
        }

        int count = BinaryPrimitives.ReadUInt16LittleEndian(payload);
        int outputSize = (int)BinaryPrimitives.ReadUInt32LittleEndian(payload[4..]);
        if ((long)payload.Length != HeaderSize + (4L * count * outputSize))
        {
            throw new InvalidDataException($"run reply of {payload.Length} bytes does not hold {count} x {outputSize} outputs");
        }

        var outputs = new int[count * outputSize];
        for (int i = 0; i < outputs.Length; i++)
        {
            outputs[i] = BinaryPrimitives.ReadInt32LittleEndian(payload[(HeaderSize + (4 * i))..]);
        }

        return new RunReply(
            count,
            outputSize,
            BinaryPrimitives.ReadInt64LittleEndian(payload[8..]),
            BinaryPrimitives.ReadInt64LittleEndian(payload[16..]),
            BinaryPrimitives.ReadInt64LittleEndian(payload[24..]),
            BinaryPrimitives.ReadInt64LittleEndian(payload[32..]),
            outputs);
    }
}
