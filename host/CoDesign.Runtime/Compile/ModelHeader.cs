using System.Buffers.Binary;
using CoDesign.Model;

namespace CoDesign.Runtime.Compile;

/// <summary>
/// The first 32 bytes of a model image in device memory. All offsets in an image are relative to
/// its first byte, so an image runs wherever the allocator places it.
/// <code>
/// u32 magic "CDSI" | u16 version | u16 layer count | u32 input size | u32 output size |
/// u8 output kind | 3 reserved | u32 instructions offset | u32 image bytes | u32 reserved
/// </code>
/// </summary>
public readonly record struct ModelHeader(int LayerCount, int InputSize, int OutputSize, LayerOutput OutputKind, int InstructionsOffset, int ImageBytes)
{
    /// <summary>Encoded size.</summary>
    public const int Size = 32;

    /// <summary>"CDSI" read as a little-endian u32.</summary>
    public const uint Magic = 0x4953_4443;

    /// <summary>Image layout version.</summary>
    public const ushort Version = 1;

    /// <summary>Writes the header into <paramref name="destination"/>.</summary>
    public void Encode(Span<byte> destination)
    {
        destination[..Size].Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(destination, Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[4..], Version);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[6..], (ushort)LayerCount);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], (uint)InputSize);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[12..], (uint)OutputSize);
        destination[16] = (byte)OutputKind;
        BinaryPrimitives.WriteUInt32LittleEndian(destination[20..], (uint)InstructionsOffset);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[24..], (uint)ImageBytes);
    }

    /// <summary>Reads a header; null when the bytes are not a version-1 model header.</summary>
    public static ModelHeader? Decode(ReadOnlySpan<byte> source)
    {
        if (source.Length < Size
            || BinaryPrimitives.ReadUInt32LittleEndian(source) != Magic
            || BinaryPrimitives.ReadUInt16LittleEndian(source[4..]) != Version)
        {
            return null;
        }

        return new ModelHeader(
            BinaryPrimitives.ReadUInt16LittleEndian(source[6..]),
            (int)BinaryPrimitives.ReadUInt32LittleEndian(source[8..]),
            (int)BinaryPrimitives.ReadUInt32LittleEndian(source[12..]),
            (LayerOutput)source[16],
            (int)BinaryPrimitives.ReadUInt32LittleEndian(source[20..]),
            (int)BinaryPrimitives.ReadUInt32LittleEndian(source[24..]));
    }
}
