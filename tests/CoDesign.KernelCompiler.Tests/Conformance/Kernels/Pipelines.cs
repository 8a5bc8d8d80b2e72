namespace CoDesign.Conformance;

/// <summary>
/// Loops the compiler modulo-schedules into pipelines: II=1 loops, read-modify-write chains that
/// hit the same element in consecutive iterations (forwarded), and loops that cannot reach II=1.
/// </summary>
public static class Pipelines
{
    /// <summary>A sum: one read and one add per iteration, II=1.</summary>
    public static int Sum(ReadOnlySpan<int> data)
    {
        int sum = 0;
        for (int i = 0; i < data.Length; i++)
        {
            sum += data[i];
        }

        return sum;
    }

    /// <summary>A copy with a transform: a read and a write per iteration, II=1.</summary>
    public static void ScaleInto(ReadOnlySpan<short> source, Span<int> target, int scale)
    {
        int n = Math.Min(source.Length, target.Length);
        for (int i = 0; i < n; i++)
        {
            target[i] = (source[i] * scale) + i;
        }
    }

    /// <summary>Each element updated in two consecutive iterations: the second read needs the first write.</summary>
    public static int SameRowTwice(ReadOnlySpan<int> data)
    {
        Span<int> acc = stackalloc int[8];
        for (int i = 0; i < data.Length; i++)
        {
            acc[(i >> 1) & 7] += data[i];
        }

        return acc[0] ^ (acc[1] * 3) ^ (acc[2] * 5) ^ (acc[3] * 7) ^ (acc[4] * 11) ^ (acc[5] * 13) ^ (acc[6] * 17) ^ (acc[7] * 19);
    }

    /// <summary>Each element updated in three consecutive iterations (a counter moves the row on every third).</summary>
    public static void SameRowThreeTimes(ReadOnlySpan<byte> data, Span<int> sums)
    {
        Span<int> acc = stackalloc int[8];
        int row = 0;
        int k = 0;
        for (int i = 0; i < data.Length; i++)
        {
            acc[row] += data[i] - 100;
            k++;
            row = k == 3 ? (row + 1) & 7 : row;
            k = k == 3 ? 0 : k;
        }

        for (int r = 0; r < 8 && r < sums.Length; r++)
        {
            sums[r] = acc[r];
        }
    }

    /// <summary>Rows from the data: runs of one row, alternations and jumps, as the inputs fall.</summary>
    public static void Histogram(ReadOnlySpan<byte> bins, Span<int> counts)
    {
        Span<int> bucket = stackalloc int[4];
        for (int i = 0; i < bins.Length; i++)
        {
            int bin = bins[i];
            bucket[bin & 3] += bin + 1;
        }

        for (int b = 0; b < 4 && b < counts.Length; b++)
        {
            counts[b] = bucket[b];
        }
    }

    /// <summary>
    /// The PE's entry loop on 16 rows that wrap: a zero run moves the row, the codebook value times x
    /// accumulates into it; a run of 15 brings it back to the row just written.
    /// </summary>
    public static int EntryStream(ReadOnlySpan<byte> entries, ReadOnlySpan<short> codebook, byte x, Span<int> acc)
    {
        if (codebook.Length < 16 || acc.Length < 16)
        {
            return -1;
        }

        int row = 0;
        for (int e = 0; e < entries.Length; e++)
        {
            int entry = entries[e];
            row = (row + (entry >> 4)) & 15;
            acc[row] = unchecked(acc[row] + (codebook[entry & 0xF] * x));
            row++;
        }

        return row;
    }

    /// <summary>
    /// The CCS row walk: a zero run moves the row, the entry lands there, then the row moves past it.
    /// The row's update reassociates to one add (<c>row + ((entry &gt;&gt; 4) + 1)</c>), so two 32-bit adds do
    /// not hold the loop to II=2 at 40 MHz.
    /// </summary>
    public static int RowWalk(ReadOnlySpan<byte> entries)
    {
        int row = 0;
        int sum = 0;
        for (int e = 0; e < entries.Length; e++)
        {
            row += entries[e] >> 4;
            sum ^= row + entries[e];
            row++;
        }

        return sum + row;
    }

    /// <summary>Two reads of one memory per iteration: one read port, so II=2.</summary>
    public static int PairSums(ReadOnlySpan<int> data)
    {
        int sum = 0;
        for (int i = 0; i + 1 < data.Length; i += 2)
        {
            sum += data[i] ^ data[i + 1];
        }

        return sum;
    }

    /// <summary>A pointer chase: the next index comes from memory, a recurrence through a read, so II=2.</summary>
    public static int Chase(ReadOnlySpan<byte> next, int steps)
    {
        if (next.Length == 0)
        {
            return -1;
        }

        int at = 0;
        int sum = 0;
        for (int s = 0; s < (steps & 31); s++)
        {
            at = next[at] % next.Length;
            sum += at;
        }

        return sum;
    }

    /// <summary>The loop test reads memory: it is known a cycle after the read, so II=2, no better than one iteration at a time.</summary>
    public static int CountUntilZero(ReadOnlySpan<byte> data)
    {
        if (data.Length == 0)
        {
            return -1;
        }

        int i = 0;
        int value;
        do
        {
            value = data[i];
            i++;
        }
        while ((value != 0) & (i < data.Length));

        return i;
    }

    /// <summary>A read-modify-write of one element per iteration whose sum feeds the next address.</summary>
    public static void Walk(Span<int> data)
    {
        int at = 0;
        for (int i = 0; i < data.Length; i++)
        {
            data[at] = data[at] + i;
            at = (data[at] & 0x7FFF) % data.Length;
        }
    }
}
