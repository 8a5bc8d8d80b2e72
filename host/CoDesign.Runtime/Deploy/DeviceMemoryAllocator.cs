namespace CoDesign.Runtime.Deploy;

/// <summary>
/// Hands out regions of a device's persistent weight region to deployed models: first fit over a
/// sorted free list, regions rounded to an alignment, neighbours merged when a region is freed.
/// The host runs it for the device, as a GPU driver allocates device memory on the host side.
/// </summary>
public sealed class DeviceMemoryAllocator
{
    private readonly SortedDictionary<int, int> _free = []; // start -> length
    private readonly Dictionary<int, int> _used = [];

    /// <summary>Creates an allocator over <paramref name="capacity"/> bytes.</summary>
    public DeviceMemoryAllocator(int capacity, int alignment)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(alignment);
        Capacity = capacity;
        Alignment = alignment;
        _free[0] = capacity;
    }

    /// <summary>Total bytes managed.</summary>
    public int Capacity { get; }

    /// <summary>Every region starts and ends on a multiple of this.</summary>
    public int Alignment { get; }

    /// <summary>Bytes currently allocated.</summary>
    public int UsedBytes => _used.Values.Sum();

    /// <summary>Size of the largest free region.</summary>
    public int LargestFree => _free.Count == 0 ? 0 : _free.Values.Max();

    /// <summary>Allocates <paramref name="length"/> bytes; returns the start address, or null when no free region is large enough.</summary>
    public int? TryAllocate(int length)
    {
        int size = AlignedSize(length);
        foreach ((int start, int free) in _free)
        {
            if (free >= size)
            {
                Take(start, free, start, size);
                return start;
            }
        }

        return null;
    }

    /// <summary>
    /// Allocates <paramref name="length"/> bytes at exactly <paramref name="start"/>, for an image that is
    /// already in device memory (baked into the bitstream); returns false when any of it is in use,
    /// lies outside the region, or <paramref name="start"/> is not aligned.
    /// </summary>
    public bool TryAllocateAt(int start, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        int size = AlignedSize(length);
        if (start % Alignment != 0)
        {
            return false;
        }

        KeyValuePair<int, int> holder = _free.LastOrDefault(p => p.Key <= start);
        if (holder.Value == 0 || (long)start + size > (long)holder.Key + holder.Value)
        {
            return false;
        }

        Take(holder.Key, holder.Value, start, size);
        return true;
    }

    /// <summary>The bytes a region of <paramref name="length"/> bytes takes: rounded up to <see cref="Alignment"/>.</summary>
    public int AlignedSize(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        return (length + Alignment - 1) / Alignment * Alignment;
    }

    // Marks [start, start + size) used inside the free region at holderStart; what is left of that
    // region before and after it stays free.
    private void Take(int holderStart, int holderLength, int start, int size)
    {
        _free.Remove(holderStart);
        if (start > holderStart)
        {
            _free[holderStart] = start - holderStart;
        }

        if (holderStart + holderLength > start + size)
        {
            _free[start + size] = holderStart + holderLength - (start + size);
        }

        _used[start] = size;
    }

    /// <summary>Frees the region that starts at <paramref name="start"/>.</summary>
    public void Free(int start)
    {
        if (!_used.Remove(start, out int size))
        {
            throw new InvalidOperationException($"no allocated region starts at {start}");
        }

        int end = start + size;
        if (_free.Remove(end, out int after))
        {
            size += after;
        }

        KeyValuePair<int, int> before = _free.LastOrDefault(p => p.Key < start);
        if (before.Value > 0 && before.Key + before.Value == start)
        {
            _free[before.Key] = before.Value + size;
        }
        else
        {
            _free[start] = size;
        }
    }
}
