using System.Globalization;
using CoDesign.Kernels;
using CoDesign.Model.MatrixMarket;

namespace CoDesign.Compression.Spmv;

/// <summary>
/// Writes an integer matrix exactly as codebook groups. Every value is cut into terms <c>m * 2^s</c>
/// with odd <c>|m| &lt;= 32767</c> (a value that needs more than 15 significant bits gets one term per
/// 15-bit digit); the distinct terms are then packed first-fit into groups of at most 15 values that
/// share one exponent. Values the file cannot hold exactly (|v| of 2^53 or more) are refused.
/// </summary>
public static class ExactCoding
{
    /// <summary>Magnitudes from here on are not exact in a double, so a file's value may already have been rounded.</summary>
    public const double MagnitudeLimit = 9007199254740992.0; // 2^53

    /// <summary>Codes <paramref name="matrix"/>; throws <see cref="ArgumentException"/> naming the first value that is not an integer or too large.</summary>
    public static CodedMatrix Code(SparseMatrixData matrix)
    {
        var terms = new List<(int Row, int Col, long Term)>();
        foreach (MatrixEntry e in matrix.Entries)
        {
            if (e.Value == 0)
            {
                continue;
            }

            if (!double.IsInteger(e.Value))
            {
                throw new ArgumentException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"entry ({e.Row + 1}, {e.Col + 1}) is {e.Value:G10}, not an integer; an exact product needs integer entries (--approximate clusters real values into 15 shared values and reports the error)"));
            }

            if (Math.Abs(e.Value) >= MagnitudeLimit)
            {
                throw new ArgumentException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"entry ({e.Row + 1}, {e.Col + 1}) is {e.Value:G17}; integers of magnitude 2^53 or more are not exact once read, so an exact product cannot use them"));
            }

            foreach (long term in Terms((long)e.Value))
            {
                terms.Add((e.Row, e.Col, term));
            }
        }

        // Small exponents first: a group's exponent is its first member's, and later members must be multiples of it.
        long[] distinct = [.. terms.Select(t => t.Term).Distinct().OrderBy(long.TrailingZeroCount).ThenBy(Math.Abs)];
        var groups = new List<(int Exponent, List<short> Values, List<CodedEntry> Entries)>();
        var place = new Dictionary<long, (int Group, byte Index)>();
        foreach (long term in distinct)
        {
            int s = (int)long.TrailingZeroCount(term);
            long mantissa = term >> s;
            int g = groups.FindIndex(group => group.Values.Count < CcsEntry.CodebookSize - 1 && Scaled(mantissa, s - group.Exponent) is not null);
            if (g < 0)
            {
                groups.Add((s, [], []));
                g = groups.Count - 1;
            }

            groups[g].Values.Add(Scaled(mantissa, s - groups[g].Exponent)!.Value);
            place[term] = (g, (byte)groups[g].Values.Count);
        }

        // Terms of one value are 15 bits apart or more, so no two land in one group (see Terms).
        foreach ((int row, int col, long term) in terms)
        {
            (int g, byte index) = place[term];
            groups[g].Entries.Add(new CodedEntry(row, col, index));
        }

        return new CodedMatrix(matrix.Rows, matrix.Cols, [.. groups.Select(g => new CodeGroup(Codebook(g.Values), g.Exponent, g.Entries))]);
    }

    /// <summary>
    /// Cuts <paramref name="value"/> into terms <c>m * 2^s</c>, odd <c>|m| &lt;= 32767</c>, that sum to it.
    /// Each term after the first has at least 15 more trailing zeros than the one before, so a group
    /// (whose values are at most 32767 times its exponent's power of two) can hold only one of them.
    /// </summary>
    public static IEnumerable<long> Terms(long value)
    {
        while (value != 0)
        {
            int s = (int)long.TrailingZeroCount(value);
            long mantissa = value >> s;
            if (Math.Abs(mantissa) <= short.MaxValue)
            {
                yield return value;
                yield break;
            }

            // The low 15 bits as a signed digit in -2^14..2^14-1: odd, because the mantissa is.
            long low = ((mantissa + (1 << 14)) & ((1 << 15) - 1)) - (1 << 14);
            yield return low << s;
            value -= low << s;
        }
    }

    /// <summary><paramref name="mantissa"/> shifted left by <paramref name="shift"/> when that fits a codebook value, else null.</summary>
    private static short? Scaled(long mantissa, int shift) =>
        shift < 0 || shift >= 15 || Math.Abs(mantissa) > short.MaxValue >> shift ? null : (short)(mantissa << shift);

    private static short[] Codebook(List<short> values)
    {
        var codebook = new short[CcsEntry.CodebookSize];
        values.CopyTo(codebook, 1);
        return codebook;
    }
}
