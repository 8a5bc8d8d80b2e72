using System.Buffers.Binary;

namespace CoDesign.Runtime.Compile;

/// <summary>Where one PE's CCS slice of a layer lies in the image: <c>u32 pointers offset | u32 entries offset | u32 entry count</c>.</summary>
public readonly record struct PeSliceRecord(int PointersOffset, int EntriesOffset, int EntryCount)
{
    /// <summary>Encoded size.</summary>
    public const int Size = 12;

    /// <summary>Writes the record.</summary>
    public void Encode(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)PointersOffset);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], (uint)EntriesOffset);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], (uint)EntryCount);
    }

    /// <summary>Reads a record.</summary>
    public static PeSliceRecord Decode(ReadOnlySpan<byte> source) => new(
        (int)BinaryPrimitives.ReadUInt32LittleEndian(source),
        (int)BinaryPrimitives.ReadUInt32LittleEndian(source[4..]),
        (int)BinaryPrimitives.ReadUInt32LittleEndian(source[8..]));
}
