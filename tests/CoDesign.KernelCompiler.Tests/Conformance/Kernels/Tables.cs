namespace CoDesign.Conformance;

/// <summary>
/// Local tables filled whole and then read: where one block fills every element with the same
/// expression of its index and dominates the reads, table recomputation computes the expression
/// at each read instead (as <c>SparseMatVec</c>'s scaled codebook); elsewhere the table stays.
/// </summary>
public static class Tables
{
    /// <summary>A 16-entry table scaled once, then looked up per code: recomputed at the read.</summary>
    public static void ScaledLookup(ReadOnlySpan<short> weights, ReadOnlySpan<byte> codes, int scale, Span<int> output)
    {
        if (weights.Length < 16)
        {
            return;
        }

        Span<int> scaled = stackalloc int[16];
        for (int k = 0; k < 16; k++)
        {
            scaled[k] = weights[k] * scale;
        }

        int n = Math.Min(codes.Length, output.Length);
        for (int i = 0; i < n; i++)
        {
            output[i] = scaled[codes[i] & 15];
        }
    }

    /// <summary>The table refilled for every nonzero scale, read in the loop below the fill: recomputed.</summary>
    public static int RefilledPerScale(ReadOnlySpan<byte> weights, ReadOnlySpan<byte> scales, ReadOnlySpan<byte> codes)
    {
        if (weights.Length < 8)
        {
            return 0;
        }

        Span<int> table = stackalloc int[8];
        int sum = 0;
        for (int r = 0; r < scales.Length; r++)
        {
            int s = scales[r];
            if (s == 0)
            {
                continue;
            }

            for (int k = 0; k < 8; k++)
            {
                table[k] = (weights[k] ^ s) - 3;
            }

            for (int i = 0; i < codes.Length; i++)
            {
                sum += table[(codes[i] + r) & 7];
            }
        }

        return sum;
    }

    /// <summary>The table is written again after the fill, so a read may not see the fill's value: it stays.</summary>
    public static int WrittenAfterFill(ReadOnlySpan<byte> weights, ReadOnlySpan<byte> codes)
    {
        if (weights.Length < 4)
        {
            return 0;
        }

        Span<int> table = stackalloc int[4];
        for (int k = 0; k < 4; k++)
        {
            table[k] = weights[k] + 1;
        }

        int sum = 0;
        for (int i = 0; i < codes.Length; i++)
        {
            int at = codes[i] & 3;
            sum += table[at];
            table[at] = sum & 255;
        }

        return sum;
    }

    /// <summary>The fill runs on one path only, so a read may see the zeros of the stackalloc: it stays.</summary>
    public static int FilledOnOnePath(ReadOnlySpan<byte> weights, ReadOnlySpan<byte> codes, bool fill)
    {
        Span<int> table = stackalloc int[4];
        if (fill && weights.Length >= 4)
        {
            for (int k = 0; k < 4; k++)
            {
                table[k] = weights[k] * 3;
            }
        }

        int sum = 0;
        for (int i = 0; i < codes.Length; i++)
        {
            sum += table[codes[i] & 3];
        }

        return sum;
    }

    /// <summary>The expression reads a memory the kernel writes, so a read may see another value: it stays.</summary>
    public static int ReadsWhatItWrites(Span<byte> weights, ReadOnlySpan<byte> codes)
    {
        if (weights.Length < 4)
        {
            return 0;
        }

        Span<int> table = stackalloc int[4];
        for (int k = 0; k < 4; k++)
        {
            table[k] = weights[k] * 7;
        }

        int sum = 0;
        for (int i = 0; i < codes.Length; i++)
        {
            int at = codes[i] & 3;
            sum += table[at];
            weights[at] = (byte)sum;
        }

        return sum;
    }
}
