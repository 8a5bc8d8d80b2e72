using System.Buffers.Binary;
using CoDesign.Model;

namespace CoDesign.Runtime.Compile;

/// <summary>
/// One dataflow instruction: a sparse fully connected layer (32 bytes in the instruction stream).
/// <code>
/// u8 opcode | u8 output kind | u8 shift | u8 pointer bits | u16 PE count | u16 reserved |
/// u32 rows | u32 cols | u32 codebook offset | u32 bias offset | u32 PE table offset | u32 reserved
/// </code>
/// The PE table holds one <see cref="PeSliceRecord"/> per PE. The codebook is 16 signed 16-bit
/// values, the bias one signed 32-bit value per row, pointers <c>cols + 1</c> unsigned values of
/// <see cref="PointerBits"/> bits, entries one byte each; all packed at the bus width.
/// </summary>
public readonly record struct LayerInstruction(
    LayerOutput OutputKind, int Shift, int PointerBits, int PeCount, int Rows, int Cols, int CodebookOffset, int BiasOffset, int PeTableOffset)
{
    /// <summary>Encoded size.</summary>
    public const int Size = 32;

    /// <summary>Opcode of a sparse fully connected layer.</summary>
    public const byte SparseFullyConnected = 1;

    /// <summary>Writes the instruction into <paramref name="destination"/>.</summary>
    public void Encode(Span<byte> destination)
    {
        destination[..Size].Clear();
        destination[0] = SparseFullyConnected;
        destination[1] = (byte)OutputKind;
        destination[2] = (byte)Shift;
        destination[3] = (byte)PointerBits;
        BinaryPrimitives.WriteUInt16LittleEndian(destination[4..], (ushort)PeCount);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], (uint)Rows);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[12..], (uint)Cols);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[16..], (uint)CodebookOffset);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[20..], (uint)BiasOffset);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[24..], (uint)PeTableOffset);
    }

    /// <summary>Reads an instruction; null for an unknown opcode.</summary>
    public static LayerInstruction? Decode(ReadOnlySpan<byte> source)
    {
        if (source.Length < Size || source[0] != SparseFullyConnected)
        {
            return null;
        }

        return new LayerInstruction(
            (LayerOutput)source[1],
            source[2],
            source[3],
            BinaryPrimitives.ReadUInt16LittleEndian(source[4..]),
            (int)BinaryPrimitives.ReadUInt32LittleEndian(source[8..]),
            (int)BinaryPrimitives.ReadUInt32LittleEndian(source[12..]),
            (int)BinaryPrimitives.ReadUInt32LittleEndian(source[16..]),
            (int)BinaryPrimitives.ReadUInt32LittleEndian(source[20..]),
            (int)BinaryPrimitives.ReadUInt32LittleEndian(source[24..]));
    }
}
