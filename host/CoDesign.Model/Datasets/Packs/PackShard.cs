using Microsoft.Win32.SafeHandles;

namespace CoDesign.Model.Datasets.Packs;

/// <summary>
/// One shard file of an open dataset pack. Without a cache a record is one positioned read. With one,
/// the shard is read in chunks of <see cref="ChunkBytes"/> the first time a record in them is asked
/// for, and kept: a later record in the chunk is a copy, with no system call. The caller keeps the
/// whole pack under its memory budget, so a chunk is never evicted (as FFCV keeps the pages of its
/// .beton file in process memory).
/// </summary>
/// <remarks>
/// Memory-mapping the shard was measured instead (pack benchmark): on this project's virtual machines
/// a random record from a mapping cost more than a positioned read, as each touches a new 4 KiB page
/// and the nested page walk of its TLB miss dominates; a mapping also faults the process, instead of
/// failing a read, when a shard is cut short under it.
/// </remarks>
internal sealed class PackShard : IDisposable
{
    /// <summary>
    /// Bytes read at once into the cache: large enough that a random pass over a pack costs few system
    /// calls per record, and above the large-object threshold, so the garbage collector never copies a chunk.
    /// </summary>
    public const int ChunkBytes = 256 * 1024;

    private readonly SafeFileHandle _file;
    private readonly byte[]?[]? _chunks;

    private PackShard(SafeFileHandle file, long length, bool cached)
    {
        _file = file;
        Length = length;
        _chunks = cached ? new byte[(int)((length + ChunkBytes - 1) / ChunkBytes)][] : null;
    }

    /// <summary>The shard's length in bytes when it was opened.</summary>
    public long Length { get; }

    /// <summary>Opens the shard at <paramref name="path"/>, keeping what it reads in memory when <paramref name="cached"/>.</summary>
    public static PackShard Open(string path, bool cached)
    {
        SafeFileHandle file = File.OpenHandle(path);
        return new PackShard(file, RandomAccess.GetLength(file), cached);
    }

    /// <summary>
    /// Fills <paramref name="bytes"/> from <paramref name="offset"/>; false when the shard ends first.
    /// <paramref name="keep"/> false reads what is not cached straight from the file without caching it
    /// (a single pass over the pack gains nothing from keeping it).
    /// </summary>
    public bool TryRead(long offset, Span<byte> bytes, bool keep = true)
    {
        if (_chunks is null || (!keep && _chunks[(int)(offset / ChunkBytes)] is null))
        {
            return RandomAccess.Read(_file, bytes, offset) == bytes.Length;
        }

        while (!bytes.IsEmpty)
        {
            int index = (int)(offset / ChunkBytes);
            int within = (int)(offset % ChunkBytes);
            byte[]? chunk = index < _chunks.Length ? _chunks[index] ?? Load(index) : null;
            if (chunk is null || within >= chunk.Length)
            {
                return false;
            }

            int take = Math.Min(bytes.Length, chunk.Length - within);
            chunk.AsSpan(within, take).CopyTo(bytes);
            bytes = bytes[take..];
            offset += take;
        }

        return true;
    }

    /// <inheritdoc />
    public void Dispose() => _file.Dispose();

    // Two threads may load the same chunk at once; both read the same bytes, and either array serves.
    private byte[] Load(int index)
    {
        long at = (long)index * ChunkBytes;
        byte[] chunk = GC.AllocateUninitializedArray<byte>((int)Math.Min(ChunkBytes, Length - at));
        int read = RandomAccess.Read(_file, chunk, at);
        if (read < chunk.Length)
        {
            Array.Resize(ref chunk, read);
        }

        _chunks![index] = chunk;
        return chunk;
    }
}
