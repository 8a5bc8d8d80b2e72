namespace CoDesign.Conformance;

/// <summary>Span and ReadOnlySpan parameters: reads, writes, Length, Clear, every element type.</summary>
public static class Spans
{
    /// <summary>Sum of an int span into a long.</summary>
    public static long Sum(ReadOnlySpan<int> data)
    {
        long sum = 0;
        for (int i = 0; i < data.Length; i++)
        {
            sum += data[i];
        }

        return sum;
    }

    /// <summary>Reverses a span in place.</summary>
    public static void Reverse(Span<int> data)
    {
        for (int i = 0, j = data.Length - 1; i < j; i++, j--)
        {
            int t = data[i];
            data[i] = data[j];
            data[j] = t;
        }
    }

    /// <summary>Running sums in place in a long span.</summary>
    public static void PrefixSums(Span<long> data)
    {
        for (int i = 1; i < data.Length; i++)
        {
            data[i] += data[i - 1];
        }
    }

    /// <summary>Copies shorts into ints, scaled, over the shorter of the two lengths.</summary>
    public static int CopyScaled(ReadOnlySpan<short> source, Span<int> destination, int scale)
    {
        int n = Math.Min(source.Length, destination.Length);
        for (int i = 0; i < n; i++)
        {
            destination[i] = source[i] * scale;
        }

        return n;
    }

    /// <summary>Dot product of two sbyte spans.</summary>
    public static int Dot(ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b)
    {
        int sum = 0;
        for (int i = 0; i < a.Length && i < b.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    /// <summary>Span.Clear under a condition.</summary>
    public static int ClearIf(Span<int> data, bool clear)
    {
        if (clear)
        {
            data.Clear();
        }

        return data.Length;
    }

    /// <summary>Counts the bytes equal to a value.</summary>
    public static int CountEqual(ReadOnlySpan<byte> data, byte value)
    {
        int count = 0;
        for (int i = 0; i < data.Length; i++)
        {
            if (data[i] == value)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Index of the largest element (-1 when empty).</summary>
    public static int ArgMax(ReadOnlySpan<int> data)
    {
        int best = -1;
        for (int i = 0; i < data.Length; i++)
        {
            if (best < 0 || data[i] > data[best])
            {
                best = i;
            }
        }

        return best;
    }

    /// <summary>Bubble sort in place (quadratic in the length, at most 16 x 16).</summary>
    public static void BubbleSort(Span<uint> data)
    {
        for (int pass = 0; pass < data.Length; pass++)
        {
            for (int i = 0; i + 1 < data.Length - pass; i++)
            {
                if (data[i] > data[i + 1])
                {
                    uint t = data[i];
                    data[i] = data[i + 1];
                    data[i + 1] = t;
                }
            }
        }
    }

    /// <summary>A histogram: one span indexes another (guarded by its length).</summary>
    public static void Histogram(ReadOnlySpan<byte> data, Span<int> counts)
    {
        if (counts.Length == 0)
        {
            return;
        }

        for (int i = 0; i < data.Length; i++)
        {
            counts[data[i] % counts.Length]++;
        }
    }

    /// <summary>A bool span.</summary>
    public static int CountTrue(ReadOnlySpan<bool> flags)
    {
        int count = 0;
        for (int i = 0; i < flags.Length; i++)
        {
            count += flags[i] ? 1 : 0;
        }

        return count;
    }

    /// <summary>A char span, upper-cased in place.</summary>
    public static void UpperCase(Span<char> text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] is >= 'a' and <= 'z')
            {
                text[i] = (char)(text[i] - 32);
            }
        }
    }

    /// <summary>XOR of a ulong span.</summary>
    public static ulong XorAll(ReadOnlySpan<ulong> data)
    {
        ulong x = 0;
        for (int i = 0; i < data.Length; i++)
        {
            x ^= data[i] << i;
        }

        return x;
    }
}
