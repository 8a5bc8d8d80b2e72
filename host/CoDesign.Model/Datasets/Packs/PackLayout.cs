using System.Buffers.Binary;
using System.Text;

namespace CoDesign.Model.Datasets.Packs;

/// <summary>
/// The layout of a dataset pack (seed 000d): records aggregated into a few shard files
/// (<c>NAME.cdsp.0</c>, <c>NAME.cdsp.1</c>, ...), and an index file <c>NAME.cdsp</c> that maps a request
/// number by hashing to (shard, offset, length, CRC-32), so reading any record is one lookup and one read.
/// </summary>
/// <remarks>
/// Index file, little-endian: "CDSP", version (u16), width (u16), height (u16), record count (u32),
/// shard count (u16), slot count (u32, a power of two at least twice the records), class count (u16)
/// and each class name (u8 length, UTF-8); then the slots, then a CRC-32 of everything before it.
/// A slot is key (u64: request number + 1, 0 when empty), offset (u64), length (u32), CRC-32 of the
/// record (u32), shard (u16), two bytes of padding. A record is its label (u16) and its pixels.
/// </remarks>
internal static class PackLayout
{
    public const uint Magic = 0x50534443; // "CDSP"
    public const ushort Version = 1;
    public const int SlotBytes = 32;
    public const int LabelBytes = 2;

    /// <summary>The file of shard <paramref name="shard"/> of the pack whose index is <paramref name="indexPath"/>.</summary>
    public static string ShardPath(string indexPath, int shard) => $"{indexPath}.{shard}";

    /// <summary>The first slot to probe for <paramref name="request"/> in a table of 2^<paramref name="bits"/> slots (Fibonacci hashing).</summary>
    public static int Home(long request, int bits) => bits == 0 ? 0 : (int)(unchecked((ulong)request * 0x9E3779B97F4A7C15UL) >> (64 - bits));

    /// <summary>
    /// The CRC-32 the index and each record carry: the same polynomial as the link's and the model
    /// file's (kernels/Crc32), computed by System.IO.Hashing, whose SIMD form keeps a record's check
    /// cheaper than its read (the kernel's bitwise form is the hardware's algorithm, 8 steps a byte).
    /// </summary>
    public static uint Checksum(ReadOnlySpan<byte> bytes) => System.IO.Hashing.Crc32.HashToUInt32(bytes);

    /// <summary>Where one record lies.</summary>
    public readonly record struct Slot(ulong Key, long Offset, int Length, uint Crc, int Shard)
    {
        public void Write(Span<byte> slot)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(slot, Key);
            BinaryPrimitives.WriteInt64LittleEndian(slot[8..], Offset);
            BinaryPrimitives.WriteInt32LittleEndian(slot[16..], Length);
            BinaryPrimitives.WriteUInt32LittleEndian(slot[20..], Crc);
            BinaryPrimitives.WriteUInt16LittleEndian(slot[24..], (ushort)Shard);
        }

        public static Slot Read(ReadOnlySpan<byte> slot) => new(
            BinaryPrimitives.ReadUInt64LittleEndian(slot),
            BinaryPrimitives.ReadInt64LittleEndian(slot[8..]),
            BinaryPrimitives.ReadInt32LittleEndian(slot[16..]),
            BinaryPrimitives.ReadUInt32LittleEndian(slot[20..]),
            BinaryPrimitives.ReadUInt16LittleEndian(slot[24..]));
    }

    /// <summary>The header's fixed part and class names as bytes.</summary>
    public static byte[] Header(int width, int height, int count, int shards, int slots, IReadOnlyList<string> classes)
    {
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        writer.Write(Magic);
        writer.Write(Version);
        writer.Write((ushort)width);
        writer.Write((ushort)height);
        writer.Write((uint)count);
        writer.Write((ushort)shards);
        writer.Write((uint)slots);
        writer.Write((ushort)classes.Count);
        foreach (string name in classes)
        {
            byte[] utf8 = Encoding.UTF8.GetBytes(name);
            writer.Write((byte)utf8.Length);
            writer.Write(utf8);
        }

        writer.Flush();
        return stream.ToArray();
    }
}
