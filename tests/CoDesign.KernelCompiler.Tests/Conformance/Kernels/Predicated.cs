namespace CoDesign.Conformance;

/// <summary>
/// Memory accesses inside the arms of an if: if-conversion makes them predicated loads and stores
/// (guarded by the arm's side of the condition), so the loops around them become one block that is
/// pipelined. Guards protect addresses that would be out of range, and a guarded store that does
/// not happen must not be forwarded to a later load.
/// </summary>
public static class Predicated
{
    /// <summary>A store in a triangle: only elements above the threshold are copied.</summary>
    public static void CopyAbove(ReadOnlySpan<int> data, Span<int> output, int threshold)
    {
        int n = Math.Min(data.Length, output.Length);
        for (int i = 0; i < n; i++)
        {
            int v = data[i];
            if (v > threshold)
            {
                output[i] = v;
            }
        }
    }

    /// <summary>A load in a triangle: only flagged values are read and summed.</summary>
    public static int SumFlagged(ReadOnlySpan<byte> flags, ReadOnlySpan<int> values)
    {
        int sum = 0;
        int n = Math.Min(flags.Length, values.Length);
        for (int i = 0; i < n; i++)
        {
            if (flags[i] != 0)
            {
                sum += values[i];
            }
        }

        return sum;
    }

    /// <summary>A load in the else arm and a store in the then arm of one diamond.</summary>
    public static int LoadOrStore(ReadOnlySpan<short> data, Span<int> marks, int key)
    {
        int found = 0;
        for (int i = 0; i < data.Length; i++)
        {
            if (data[i] == key)
            {
                if (i < marks.Length)
                {
                    marks[i] = i + 1;
                }
            }
            else
            {
                found += data[(i + 1) % data.Length] & 3;
            }
        }

        return found;
    }

    /// <summary>The guard keeps a write in range: the loop runs past the output's end.</summary>
    public static void GuardedRange(ReadOnlySpan<byte> input, Span<int> output)
    {
        for (int i = 0; i < input.Length; i++)
        {
            if (i < output.Length)
            {
                output[i] = input[i] * 3;
            }
        }
    }

    /// <summary>Nested ifs: the inner store runs only when both conditions hold.</summary>
    public static void NestedGuards(ReadOnlySpan<int> data, Span<int> output, int low, int high)
    {
        int n = Math.Min(data.Length, output.Length);
        for (int i = 0; i < n; i++)
        {
            int v = data[i];
            if (v >= low)
            {
                if (v <= high)
                {
                    output[i] = v - low;
                }
            }
        }
    }

    /// <summary>
    /// A read-modify-write whose write is conditional: consecutive iterations may hit the same row,
    /// and a write that does not happen must not be forwarded.
    /// </summary>
    public static void ConditionalAccumulate(ReadOnlySpan<byte> data, Span<int> sums)
    {
        Span<int> acc = stackalloc int[4];
        for (int i = 0; i < data.Length; i++)
        {
            int row = (i >> 1) & 3;
            int v = data[i];
            int old = acc[row];
            if ((v & 1) != 0)
            {
                acc[row] = old + v;
            }
        }

        for (int r = 0; r < 4 && r < sums.Length; r++)
        {
            sums[r] = acc[r];
        }
    }

    /// <summary>
    /// The element tested is read again in the arm: after if-conversion the second read is the
    /// first's value (one read port, so II=1 rather than 2).
    /// </summary>
    public static int SumOdd(ReadOnlySpan<byte> data, Span<int> odd)
    {
        int sum = 0;
        for (int i = 0; i < data.Length; i++)
        {
            if ((data[i] & 1) != 0)
            {
                sum += data[i];
                if (i < odd.Length)
                {
                    odd[i] = data[i];
                }
            }
        }

        return sum;
    }

    /// <summary>A histogram of the values below 8: the guarded update of a stackalloc, read back after.</summary>
    public static int SmallHistogram(ReadOnlySpan<byte> data)
    {
        Span<int> counts = stackalloc int[8];
        for (int i = 0; i < data.Length; i++)
        {
            int v = data[i];
            if (v < 8)
            {
                counts[v]++;
            }
        }

        return counts[0] + (counts[1] << 3) + (counts[2] << 6) + (counts[3] << 9) + (counts[4] << 12) + (counts[5] << 15) + (counts[6] << 18) + (counts[7] << 21);
    }

    /// <summary>Either of two memories is written, never both: a diamond with a store in each arm.</summary>
    public static void Partition(ReadOnlySpan<int> data, Span<int> even, Span<int> odd)
    {
        int n = Math.Min(data.Length, Math.Min(even.Length, odd.Length));
        for (int i = 0; i < n; i++)
        {
            int v = data[i];
            if ((v & 1) == 0)
            {
                even[i] = v;
            }
            else
            {
                odd[i] = v;
            }
        }
    }

    /// <summary>A guarded read of an element that may be past the end: the read must not happen.</summary>
    public static int PeekNext(ReadOnlySpan<int> data)
    {
        int total = 0;
        for (int i = 0; i < data.Length; i++)
        {
            int next = 0;
            if (i + 1 < data.Length)
            {
                next = data[i + 1];
            }

            total += next - data[i];
        }

        return total;
    }

    /// <summary>A conditional store outside any loop, with the stored value read back.</summary>
    public static int StoreThenRead(Span<int> cells, int index, int value)
    {
        if (index >= 0 && index < cells.Length)
        {
            cells[index] = value;
        }

        return cells.Length > 0 ? cells[0] : -1;
    }
}
