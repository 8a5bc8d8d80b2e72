using System.Buffers.Binary;
using CoDesign.Model;

namespace CoDesign.Runtime.Compile;

/// <summary>
/// One dataflow instruction: a sparse fully connected layer, or a column block of one (32 bytes in
/// the instruction stream).
/// <code>
/// u8 opcode | u8 output kind | u8 shift | u8 pointer bits | u16 PE count | u8 block flags | u8 reserved |
/// u32 rows | u32 cols | u32 codebook offset | u32 bias offset | u32 PE table offset | u32 first column
/// </code>
/// The PE table holds one <see cref="PeSliceRecord"/> per PE. The codebook is 16 signed 16-bit
/// values, the bias one signed 32-bit value per row, pointers <c>cols + 1</c> unsigned values of
/// <see cref="PointerBits"/> bits, entries one byte each; all packed at the bus width. A column
/// block (opcode <see cref="SparseFullyConnectedBlock"/>) carries <see cref="BlockFlags"/> in byte 6;
/// its own opcode makes an engine that does not know blocks (today's RTL checks the opcode) fault
/// instead of computing a partial layer as if it were whole. A block that holds has no bias (offset 0);
/// the first column says where a block with <see cref="BlockFlags.ChainIn"/> starts reading the
/// activations in scratch (0 otherwise).
/// </summary>
public readonly record struct LayerInstruction(
    LayerOutput OutputKind, int Shift, int PointerBits, int PeCount, int Rows, int Cols, int CodebookOffset, int BiasOffset, int PeTableOffset, BlockFlags Flags = BlockFlags.None, int FirstCol = 0)
{
    /// <summary>Encoded size.</summary>
    public const int Size = 32;

    /// <summary>Opcode of a sparse fully connected layer.</summary>
    public const byte SparseFullyConnected = 1;

    /// <summary>Opcode of a column block of a sparse fully connected layer, with <see cref="BlockFlags"/>.</summary>
    public const byte SparseFullyConnectedBlock = 2;

    /// <summary>True for a column block: its sums come from or stay in the accumulators across Runs.</summary>
    public bool IsBlock => Flags != BlockFlags.None;

    /// <summary>Writes the instruction into <paramref name="destination"/>.</summary>
    public void Encode(Span<byte> destination)
    {
        destination[..Size].Clear();
        destination[0] = IsBlock ? SparseFullyConnectedBlock : SparseFullyConnected;
        destination[1] = (byte)OutputKind;
        destination[2] = (byte)Shift;
        destination[3] = (byte)PointerBits;
        BinaryPrimitives.WriteUInt16LittleEndian(destination[4..], (ushort)PeCount);
        destination[6] = (byte)Flags;
        BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], (uint)Rows);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[12..], (uint)Cols);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[16..], (uint)CodebookOffset);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[20..], (uint)BiasOffset);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[24..], (uint)PeTableOffset);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[28..], (uint)FirstCol);
    }

    /// <summary>Reads an instruction; null for an unknown opcode, or block flags that do not match it.</summary>
    public static LayerInstruction? Decode(ReadOnlySpan<byte> source)
    {
        if (source.Length < Size || source[0] is not (SparseFullyConnected or SparseFullyConnectedBlock))
        {
            return null;
        }

        var flags = (BlockFlags)source[6];
        bool block = source[0] == SparseFullyConnectedBlock;
        if (block == (flags == BlockFlags.None) || (flags & ~(BlockFlags.Accumulate | BlockFlags.Hold | BlockFlags.ChainIn | BlockFlags.ChainOut)) != 0)
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
            (int)BinaryPrimitives.ReadUInt32LittleEndian(source[24..]),
            flags,
            (int)BinaryPrimitives.ReadUInt32LittleEndian(source[28..]));
    }
}
