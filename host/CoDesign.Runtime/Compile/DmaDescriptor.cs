using System.Buffers.Binary;

namespace CoDesign.Runtime.Compile;

/// <summary>
/// A DMA configuration instruction (seed 001): it tells the device's DMA engine where the data that
/// follows it goes and how it is laid out, so the access paths know how to widen it. 16 bytes:
/// <code>
/// u32 address | u32 length | u8 memory (0 = persistent weight region) | u8 element bits |
/// u8 flags (bit 0: signed elements) | u8 block kind | u32 reserved
/// </code>
/// The address is absolute on the wire; in a <see cref="DeviceImage"/> it is relative to the image's start.
/// </summary>
public readonly record struct DmaDescriptor(int Address, int Length, int ElementBits, bool Signed, BlockKind Block)
{
    /// <summary>Encoded size.</summary>
    public const int Size = 16;

    /// <summary>Target memory id of the persistent weight region.</summary>
    public const byte PersistentMemory = 0;

    /// <summary>Writes the descriptor with <see cref="Address"/> moved by <paramref name="baseAddress"/>.</summary>
    public void Encode(Span<byte> destination, int baseAddress)
    {
        destination[..Size].Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)(baseAddress + Address));
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], (uint)Length);
        destination[8] = PersistentMemory;
        destination[9] = (byte)ElementBits;
        destination[10] = (byte)(Signed ? 1 : 0);
        destination[11] = (byte)Block;
    }

    /// <summary>Reads a descriptor and the memory id it targets.</summary>
    public static (DmaDescriptor Descriptor, byte Memory) Decode(ReadOnlySpan<byte> source) => (
        new DmaDescriptor(
            (int)BinaryPrimitives.ReadUInt32LittleEndian(source),
            (int)BinaryPrimitives.ReadUInt32LittleEndian(source[4..]),
            source[9],
            (source[10] & 1) != 0,
            (BlockKind)source[11]),
        source[8]);
}
