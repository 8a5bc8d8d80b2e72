using System.Buffers.Binary;
using System.Text;

namespace CoDesign.Model.Datasets.Packs;

/// <summary>
/// A dataset pack opened for reading (seed 000d): the index file <c>NAME.cdsp</c> is read and checked
/// once, and then any record is one hash lookup and one read from its shard (<c>NAME.cdsp.0</c>, ...),
/// checked against its CRC-32. A pack whose shards fit <see cref="DefaultCacheBytes"/> keeps the chunks
/// of them it has read in memory (<see cref="PackShard"/>), so a pass over it after the first makes
/// no system call. <see cref="DatasetPackWriter"/> writes packs.
/// </summary>
public sealed class DatasetPack : IDisposable
{
    /// <summary>The largest index file read (its slots, at 32 bytes each, for up to 2^23 records).</summary>
    public const long MaxIndexBytes = 300L * 1024 * 1024;

    /// <summary>The most shard bytes an open pack keeps in memory by default; a larger pack reads each record from its file.</summary>
    public const long DefaultCacheBytes = 512L * 1024 * 1024;

    private readonly string _path;
    private readonly byte[] _index;
    private readonly int _tableAt;
    private readonly int _bits;
    private readonly PackShard[] _shards;

    private DatasetPack(string path, int width, int height, int count, IReadOnlyList<string> classes, byte[] index, int tableAt, int bits, PackShard[] shards)
    {
        _path = path;
        Width = width;
        Height = height;
        Count = count;
        ClassNames = classes;
        _index = index;
        _tableAt = tableAt;
        _bits = bits;
        _shards = shards;
    }

    /// <summary>Image width in pixels.</summary>
    public int Width { get; }

    /// <summary>Image height in pixels.</summary>
    public int Height { get; }

    /// <summary>Bytes per image.</summary>
    public int ImageSize => Width * Height;

    /// <summary>Records in the pack; request numbers run from 0 to Count - 1.</summary>
    public int Count { get; }

    /// <summary>The class names labels index (empty when the source had none, as IDX files).</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>
    /// Opens the pack whose index is <paramref name="path"/>; <see cref="InvalidDataException"/> says what
    /// is wrong with it. Its shards are kept in memory as they are read when together they take at most
    /// <paramref name="cacheBytes"/> (0: never).
    /// </summary>
    public static DatasetPack Open(string path, long cacheBytes = DefaultCacheBytes)
    {
        path = Path.GetFullPath(path);
        long length = new FileInfo(path).Length;
        if (length > MaxIndexBytes)
        {
            throw new InvalidDataException($"{path}: an index of {length:N0} bytes is larger than a pack's ({MaxIndexBytes:N0})");
        }

        byte[] index = File.ReadAllBytes(path);
        if (index.Length < 26 || BinaryPrimitives.ReadUInt32LittleEndian(index) != PackLayout.Magic)
        {
            throw new InvalidDataException($"{path}: not a dataset pack (no CDSP header)");
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(index.AsSpan(index.Length - 4)) != PackLayout.Checksum(index.AsSpan(0, index.Length - 4)))
        {
            throw new InvalidDataException($"{path}: the index is damaged (its CRC-32 does not match)");
        }

        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(index.AsSpan(4));
        if (version != PackLayout.Version)
        {
            throw new InvalidDataException($"{path}: pack version {version} is not {PackLayout.Version}");
        }

        int width = BinaryPrimitives.ReadUInt16LittleEndian(index.AsSpan(6));
        int height = BinaryPrimitives.ReadUInt16LittleEndian(index.AsSpan(8));
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(index.AsSpan(10));
        int shardCount = BinaryPrimitives.ReadUInt16LittleEndian(index.AsSpan(14));
        uint slots = BinaryPrimitives.ReadUInt32LittleEndian(index.AsSpan(16));
        int classCount = BinaryPrimitives.ReadUInt16LittleEndian(index.AsSpan(20));
        if (width == 0 || height == 0 || count > DatasetPackWriter.MaxRecords || slots == 0 || (slots & (slots - 1)) != 0 || slots < count)
        {
            throw new InvalidDataException($"{path}: the header's sizes are not a pack's ({width} x {height}, {count} records, {slots} slots)");
        }

        int at = 22;
        var classes = new string[classCount];
        for (int c = 0; c < classCount; c++)
        {
            if (at >= index.Length - 4 || at + 1 + index[at] > index.Length - 4)
            {
                throw new InvalidDataException($"{path}: the class names run past the header");
            }

            classes[c] = Encoding.UTF8.GetString(index, at + 1, index[at]);
            at += 1 + index[at];
        }

        if ((long)slots * PackLayout.SlotBytes != index.Length - 4 - at)
        {
            throw new InvalidDataException($"{path}: the index holds {index.Length - 4 - at:N0} bytes of slots, not {slots:N0} of {PackLayout.SlotBytes}");
        }

        var shards = new PackShard[shardCount];
        try
        {
            long shardBytes = 0;
            for (int s = 0; s < shardCount; s++)
            {
                string shard = PackLayout.ShardPath(path, s);
                if (!File.Exists(shard))
                {
                    throw new InvalidDataException($"{path}: its shard {shard} is missing");
                }

                shardBytes += new FileInfo(shard).Length;
            }

            for (int s = 0; s < shardCount; s++)
            {
                shards[s] = PackShard.Open(PackLayout.ShardPath(path, s), cached: shardBytes <= cacheBytes);
            }

            var pack = new DatasetPack(path, width, height, (int)count, classes, index, at, int.Log2((int)slots), shards);
            pack.CheckSlots();
            return pack;
        }
        catch
        {
            foreach (PackShard? shard in shards)
            {
                shard?.Dispose();
            }

            throw;
        }
    }

    /// <summary>
    /// Reads record <paramref name="request"/> into <paramref name="pixels"/> (<see cref="ImageSize"/>
    /// bytes) and returns its label: one lookup, one read (or copy from the cache), one CRC-32.
    /// </summary>
    public int Read(int request, Span<byte> pixels) => Read(request, pixels, keep: true);

    /// <summary>Every record in request order, as the in-memory set training and inference take (labels must fit a byte).</summary>
    public LabeledImages ReadAll()
    {
        var pixels = new byte[(long)Count * ImageSize];
        var labels = new byte[Count];
        for (int i = 0; i < Count; i++)
        {
            int label = Read(i, pixels.AsSpan(i * ImageSize, ImageSize), keep: false);
            labels[i] = label <= byte.MaxValue
                ? (byte)label
                : throw new InvalidDataException($"{_path}: record {i} has label {label}; training and inference take at most 256 classes");
        }

        return new LabeledImages(pixels, labels, Width, Height);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (PackShard shard in _shards)
        {
            shard.Dispose();
        }
    }

    private int Read(int request, Span<byte> pixels, bool keep)
    {
        if ((uint)request >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(request), $"request {request} is not in the pack (0..{Count - 1})");
        }

        if (pixels.Length != ImageSize)
        {
            throw new ArgumentException($"a {Width} x {Height} image takes {ImageSize} bytes, not {pixels.Length}", nameof(pixels));
        }

        PackLayout.Slot slot = Find(request);
        Span<byte> record = slot.Length <= 4096 ? stackalloc byte[slot.Length] : new byte[slot.Length];
        if (!_shards[slot.Shard].TryRead(slot.Offset, record, keep) || PackLayout.Checksum(record) != slot.Crc)
        {
            throw new InvalidDataException($"{PackLayout.ShardPath(_path, slot.Shard)}: record {request} at byte {slot.Offset:N0} is damaged or cut short");
        }

        record[PackLayout.LabelBytes..].CopyTo(pixels);
        return BinaryPrimitives.ReadUInt16LittleEndian(record);
    }

    private PackLayout.Slot Find(int request)
    {
        int mask = (1 << _bits) - 1;
        for (int at = PackLayout.Home(request, _bits), probes = 0; probes <= mask; at = (at + 1) & mask, probes++)
        {
            var slot = PackLayout.Slot.Read(_index.AsSpan(_tableAt + (at * PackLayout.SlotBytes), PackLayout.SlotBytes));
            if (slot.Key == (ulong)request + 1)
            {
                return slot;
            }

            if (slot.Key == 0)
            {
                break;
            }
        }

        throw new InvalidDataException($"{_path}: the index has no slot for record {request}");
    }

    /// <summary>
    /// Every request number has exactly one slot, and each slot points inside its shard with the record
    /// size the header gives. One pass over the table in order: probing for each request instead
    /// jumps around the table and took most of the time to open a pack.
    /// </summary>
    private void CheckSlots()
    {
        var seen = new System.Collections.BitArray(Count);
        int slots = 1 << _bits;
        for (int at = 0; at < slots; at++)
        {
            var slot = PackLayout.Slot.Read(_index.AsSpan(_tableAt + (at * PackLayout.SlotBytes), PackLayout.SlotBytes));
            if (slot.Key == 0)
            {
                continue;
            }

            long request = (long)slot.Key - 1;
            if (slot.Key > (ulong)Count || seen[(int)request])
            {
                throw new InvalidDataException($"{_path}: slot {at} holds record {slot.Key - 1}, which is {(slot.Key > (ulong)Count ? "not in the pack" : "in another slot too")}");
            }

            seen[(int)request] = true;
            if (slot.Shard >= _shards.Length || slot.Length != PackLayout.LabelBytes + ImageSize || slot.Offset < 0 || slot.Offset + slot.Length > _shards[slot.Shard].Length)
            {
                throw new InvalidDataException($"{_path}: record {request}'s slot points outside its shard");
            }
        }

        for (int request = 0; request < Count; request++)
        {
            if (!seen[request])
            {
                throw new InvalidDataException($"{_path}: the index has no slot for record {request}");
            }
        }
    }
}
