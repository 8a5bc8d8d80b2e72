using System.Buffers.Binary;

namespace CoDesign.Model.Datasets.Packs;

/// <summary>
/// Writes a dataset pack (see <see cref="DatasetPack"/>): records go to shard files as they are added,
/// under temporary names in the pack's folder; <see cref="Complete"/> writes the index and renames
/// everything into place, so a pack that already exists at the path is only replaced by a whole one.
/// Disposing without completing removes the temporary files.
/// </summary>
public sealed class DatasetPackWriter : IDisposable
{
    /// <summary>Records per shard file unless the caller says otherwise.</summary>
    public const int DefaultRecordsPerShard = 16_384;

    /// <summary>The most records a pack holds (the index's slots stay under 2^24).</summary>
    public const int MaxRecords = 1 << 23;

    private readonly string _path;
    private readonly int _recordsPerShard;
    private readonly IReadOnlyList<string> _classes;
    private readonly List<string> _temporaryShards = [];
    private readonly List<PackLayout.Slot> _slots = [];
    private readonly byte[] _record;
    private FileStream? _shard;
    private bool _completed;

    /// <summary>
    /// Starts a pack at <paramref name="path"/> of <paramref name="width"/> x <paramref name="height"/>
    /// 8-bit images whose labels index <paramref name="classes"/> (any label up to 65,535 when empty).
    /// </summary>
    public DatasetPackWriter(string path, int width, int height, IReadOnlyList<string> classes, int recordsPerShard = DefaultRecordsPerShard)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, ushort.MaxValue);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(height, ushort.MaxValue);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(recordsPerShard);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(classes.Count, ushort.MaxValue);
        _path = Path.GetFullPath(path);
        Width = width;
        Height = height;
        _classes = classes;
        _recordsPerShard = recordsPerShard;
        _record = new byte[PackLayout.LabelBytes + (width * height)];
    }

    /// <summary>Image width in pixels.</summary>
    public int Width { get; }

    /// <summary>Image height in pixels.</summary>
    public int Height { get; }

    /// <summary>Records added so far; the next record's request number.</summary>
    public int Count => _slots.Count;

    /// <summary>Adds one image with its label; returns its request number.</summary>
    public int Add(int label, ReadOnlySpan<byte> pixels)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        if (pixels.Length != Width * Height)
        {
            throw new ArgumentException($"an image of {pixels.Length} bytes is not {Width} x {Height}", nameof(pixels));
        }

        int labels = _classes.Count == 0 ? ushort.MaxValue + 1 : _classes.Count;
        if (label < 0 || label >= labels)
        {
            throw new ArgumentOutOfRangeException(nameof(label), $"label {label} is not a class of this pack (0..{labels - 1})");
        }

        if (Count == MaxRecords)
        {
            throw new InvalidOperationException($"a pack holds at most {MaxRecords:N0} records");
        }

        if (_shard is null || Count % _recordsPerShard == 0)
        {
            _shard?.Dispose();
            string temporary = Path.Combine(Path.GetDirectoryName(_path)!, $".{Path.GetFileName(_path)}.{_temporaryShards.Count}.{Guid.NewGuid():N}.tmp");
            _temporaryShards.Add(temporary);
            _shard = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write);
        }

        BinaryPrimitives.WriteUInt16LittleEndian(_record, (ushort)label);
        pixels.CopyTo(_record.AsSpan(PackLayout.LabelBytes));
        _slots.Add(new PackLayout.Slot((ulong)Count + 1, _shard.Position, _record.Length, PackLayout.Checksum(_record), _temporaryShards.Count - 1));
        _shard.Write(_record);
        return Count - 1;
    }

    /// <summary>Writes the index and moves the shards and the index into place (the index last).</summary>
    public void Complete()
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        _shard?.Dispose();
        _shard = null;
        int bits = 1;
        while ((1 << bits) < 2 * Math.Max(1, Count))
        {
            bits++;
        }

        var table = new byte[(1 << bits) * PackLayout.SlotBytes];
        foreach (PackLayout.Slot slot in _slots)
        {
            int at = PackLayout.Home((long)slot.Key - 1, bits);
            while (BinaryPrimitives.ReadUInt64LittleEndian(table.AsSpan(at * PackLayout.SlotBytes)) != 0)
            {
                at = (at + 1) & ((1 << bits) - 1);
            }

            slot.Write(table.AsSpan(at * PackLayout.SlotBytes, PackLayout.SlotBytes));
        }

        byte[] header = PackLayout.Header(Width, Height, Count, _temporaryShards.Count, 1 << bits, _classes);
        var index = new byte[header.Length + table.Length + 4];
        header.CopyTo(index, 0);
        table.CopyTo(index, header.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(index.AsSpan(index.Length - 4), PackLayout.Checksum(index.AsSpan(0, index.Length - 4)));
        string temporaryIndex = Path.Combine(Path.GetDirectoryName(_path)!, $".{Path.GetFileName(_path)}.{Guid.NewGuid():N}.tmp");
        File.WriteAllBytes(temporaryIndex, index);

        for (int s = 0; s < _temporaryShards.Count; s++)
        {
            File.Move(_temporaryShards[s], PackLayout.ShardPath(_path, s), overwrite: true);
        }

        // Shards of an older, larger pack of the same name would be left behind.
        for (int s = _temporaryShards.Count; File.Exists(PackLayout.ShardPath(_path, s)); s++)
        {
            File.Delete(PackLayout.ShardPath(_path, s));
        }

        File.Move(temporaryIndex, _path, overwrite: true);
        _temporaryShards.Clear();
        _completed = true;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _shard?.Dispose();
        foreach (string temporary in _temporaryShards)
        {
            File.Delete(temporary);
        }

        _temporaryShards.Clear();
        _completed = true;
    }
}
