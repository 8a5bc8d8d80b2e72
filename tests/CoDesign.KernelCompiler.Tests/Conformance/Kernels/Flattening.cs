namespace CoDesign.Conformance;

/// <summary>
/// Loop nests whose inner loop has a variable bound (CCS columns and their entries, triangles,
/// rectangles of a run-time width). Where the flat loop can start an iteration every cycle the nest
/// is flattened into one loop at II=1 (the loads that decide the next step read a step ahead); where
/// a memory is read by both loops, or the trial schedule of the flat loop does not reach II=1, it
/// stays a nest.
/// </summary>
public static class Flattening
{
    /// <summary>Column lengths read one column ahead; entries accumulated into their rows. Stays a nest: the trial schedule of its flat loop does not reach II=1.</summary>
    public static long ColumnSums(ReadOnlySpan<byte> entries, ReadOnlySpan<byte> lengths, Span<int> acc)
    {
        if (acc.Length < 16)
        {
            return -1;
        }

        long consumed = 0;
        int e = 0;
        int length = lengths.Length > 0 ? lengths[0] & 7 : 0;
        for (int j = 0; j < lengths.Length; j++)
        {
            int end = Math.Min(e + length, entries.Length);
            length = j + 1 < lengths.Length ? lengths[j + 1] & 7 : 0;
            int row = 0;
            for (; e < end; e++)
            {
                int entry = entries[e];
                row = (row + (entry >> 4)) & 15;
                acc[row] += entry & 15;
                row++;
            }

            consumed += end;
        }

        return consumed;
    }

    /// <summary>
    /// The PE's sparse matrix-vector product with one multiply per entry: the activation and the
    /// column's length are read one column ahead, and a zero activation skips its column. Stays a
    /// nest, as <see cref="ColumnSums"/> does (<see cref="SkippedColumns"/> is the shape that flattens).
    /// </summary>
    public static long SparseColumns(ReadOnlySpan<byte> entries, ReadOnlySpan<byte> lengths, ReadOnlySpan<short> codebook, ReadOnlySpan<byte> x, Span<int> acc)
    {
        int columns = Math.Min(lengths.Length, x.Length);
        if (acc.Length < 16 || codebook.Length < 16 || columns == 0)
        {
            return -1;
        }

        long consumed = 0;
        int begin = 0;
        int length = lengths[0] & 3;
        int activation = x[0];
        for (int j = 0; j < columns; j++)
        {
            int end = Math.Min(begin + length, entries.Length);
            int stop = activation == 0 ? begin : end;
            int scale = activation;
            bool more = j + 1 < columns;
            length = more ? lengths[j + 1] & 3 : 0;
            activation = more ? x[j + 1] : 0;
            int row = 0;
            for (int e = begin; e < stop; e++)
            {
                int entry = entries[e];
                row = (row + (entry >> 4)) & 15;
                acc[row] = unchecked(acc[row] + (codebook[entry & 0xF] * scale));
                row++;
            }

            consumed += stop - begin;
            begin = end;
        }

        return consumed;
    }

    /// <summary>
    /// The PE kernel's shape: a column begins where the one before ended, and a zero activation
    /// skips its column. Flattened: the column's bookkeeping moves before its entry loop, the skip
    /// joins the entry test, and the activation and column end are read a step ahead.
    /// </summary>
    public static int SkippedColumns(ReadOnlySpan<byte> entries, ReadOnlySpan<byte> ends, ReadOnlySpan<byte> x, Span<int> acc)
    {
        if (acc.Length < 16 || ends.Length == 0)
        {
            return -1;
        }

        int consumed = 0;
        int begin = 0;
        for (int j = 0; j < ends.Length; j++)
        {
            int end = Math.Min(ends[j] & 31, entries.Length);
            int activation = j < x.Length ? x[j] : 0;
            if (activation != 0)
            {
                int row = 0;
                for (int e = begin; e < end; e++)
                {
                    int entry = entries[e];
                    row = (row + (entry >> 4)) & 15;
                    acc[row] = unchecked(acc[row] + ((entry & 15) * activation));
                    row++;
                }

                consumed += end - begin;
            }

            begin = end;
        }

        return consumed;
    }

    /// <summary>
    /// Bookkeeping after the entries that reads and writes several variables, each update reading the
    /// others as they were: exit hoisting moves all of them before the entry loop together.
    /// </summary>
    public static int MovedBookkeeping(ReadOnlySpan<byte> x, ReadOnlySpan<byte> ends, Span<int> acc)
    {
        int a = 1;
        int b = 5;
        int c = 0;
        int begin = 0;
        for (int j = 0; j < x.Length && j < ends.Length; j++)
        {
            int end = Math.Min(ends[j] & 7, acc.Length);
            if (x[j] != 0)
            {
                for (int e = begin; e < end; e++)
                {
                    acc[e] += x[j];
                }

                int oldC = c;
                c = a + 1;
                a = b;
                b = b + oldC;
            }

            begin = end;
        }

        return (a * 1000) + (b * 10) + c;
    }

    /// <summary>Triangular sums: the inner bound is the outer counter, nothing is read. Flattened.</summary>
    public static int Triangle(int n)
    {
        int total = 0;
        int limit = n & 15;
        for (int i = 0; i < limit; i++)
        {
            for (int k = 0; k < i; k++)
            {
                total += i ^ k;
            }

            total++;
        }

        return total;
    }

    /// <summary>Rows of a run-time width written one after another. Flattened.</summary>
    public static void Rectangle(Span<int> output, int rows, int width)
    {
        int at = 0;
        int w = width & 7;
        for (int r = 0; r < (rows & 7); r++)
        {
            for (int c = 0; c < w; c++)
            {
                if (at < output.Length)
                {
                    output[at] = (r << 4) | c;
                }

                at++;
            }
        }
    }

    /// <summary>
    /// Each row starts at a column of its own: the inner start varies, the end does not, and a row may
    /// be empty (so the first test is not settled before the loop: range folding would drop it). Flattened.
    /// </summary>
    public static int Staircase(ReadOnlySpan<int> data, int rows)
    {
        int sum = 0;
        for (int i = 0; i < (rows & 15); i++)
        {
            for (int k = i & 3; k < 3; k++)
            {
                sum += (data.Length > 0 ? data[(i + k) % data.Length] : 1) ^ k;
            }
        }

        return sum;
    }

    /// <summary>The bound is read in the same step as the column starts: stays a nest (the trial schedule does not reach II=1).</summary>
    public static int BoundReadNow(ReadOnlySpan<byte> lengths, ReadOnlySpan<int> data)
    {
        int sum = 0;
        int e = 0;
        for (int j = 0; j < lengths.Length; j++)
        {
            int end = Math.Min(e + (lengths[j] & 3), data.Length);
            for (; e < end; e++)
            {
                sum += data[e] ^ j;
            }
        }

        return sum;
    }

    /// <summary>Both loops read the same memory (one read port): stays a nest.</summary>
    public static int SharedPort(ReadOnlySpan<int> data, int step)
    {
        int sum = 0;
        int e = 0;
        int length = 2;
        for (int j = 0; j < 6; j++)
        {
            int end = Math.Min(e + length, data.Length);
            length = data.Length > j ? data[j] & 3 : 1;
            for (; e < end; e++)
            {
                sum += data[e] * step;
            }
        }

        return sum;
    }
}
