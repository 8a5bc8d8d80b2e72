namespace CoDesign.Conformance;

/// <summary>Span.Slice with one and two arguments, guarded so that it never throws.</summary>
public static class Slices
{
    /// <summary>Sum of the tail from a checked start.</summary>
    public static int SumTail(ReadOnlySpan<int> data, int start)
    {
        if (start < 0 || start > data.Length)
        {
            return 0;
        }

        ReadOnlySpan<int> tail = data.Slice(start);
        int sum = 0;
        for (int i = 0; i < tail.Length; i++)
        {
            sum += tail[i];
        }

        return sum;
    }

    /// <summary>A two-argument slice with both bounds checked.</summary>
    public static int SumRange(ReadOnlySpan<int> data, int start, int length)
    {
        if (start < 0 || length < 0 || start > data.Length - length)
        {
            return -1;
        }

        ReadOnlySpan<int> range = data.Slice(start, length);
        int sum = 0;
        for (int i = 0; i < range.Length; i++)
        {
            sum += range[i];
        }

        return sum;
    }

    /// <summary>Writes through a slice land in the original span.</summary>
    public static void WriteMiddle(Span<int> data, int a)
    {
        if (data.Length < 3)
        {
            return;
        }

        Span<int> middle = data.Slice(1, data.Length - 2);
        middle.Clear();
        middle[0] = a;
        middle[middle.Length - 1] += a;
    }

    /// <summary>A slice of a slice.</summary>
    public static int SliceOfSlice(ReadOnlySpan<byte> data)
    {
        if (data.Length < 3)
        {
            return -1;
        }

        ReadOnlySpan<byte> inner = data.Slice(1).Slice(1);
        return (inner.Length * 1000) + inner[0];
    }

    /// <summary>The length of a slice whose size comes from an input, clamped.</summary>
    public static int ClampedSliceLength(ReadOnlySpan<uint> data, int n)
    {
        int length = Math.Min(n & 31, data.Length);
        return data.Slice(data.Length - length).Length;
    }
}
