namespace CoDesign.Kernels;

/// <summary>
/// Encodes matrices of 4-bit codebook indices (0 means a zero weight) into compressed column storage
/// with rows interleaved over processing elements: row <c>i</c> belongs to PE <c>i mod N</c>, and each
/// PE's slice holds only its own rows, so zero runs count zeros within that PE's rows.
/// </summary>
/// <remarks>
/// A zero run longer than 15 is broken by padding entries <c>(v=0, z=15)</c>; each padding entry
/// stands for 15 zeros plus one explicit zero at its own position, so it consumes 16 rows.
/// Trailing zeros of a column are not stored. Two passes (count, then fill) keep the kernel free of
/// allocation: callers size the output with <see cref="CountSliceEntries"/>.
/// </remarks>
public static class CcsEncoder
{
    /// <summary>Rows of an <paramref name="rows"/>-row matrix that PE <paramref name="pe"/> of <paramref name="peCount"/> owns.</summary>
    public static int LocalRowCount(int rows, int peCount, int pe) => pe < rows ? (rows - pe + peCount - 1) / peCount : 0;

    /// <summary>
    /// Encodes one strided column: elements <c>source[start + k*stride]</c> for <c>k</c> in
    /// <c>0..count-1</c>. Writes entries into <paramref name="entries"/> when it is long enough
    /// (pass an empty span to count only) and returns the number of entries the column needs.
    /// </summary>
    public static int EncodeColumn(ReadOnlySpan<byte> source, int start, int stride, int count, Span<byte> entries)
    {
        int written = 0;
        int zeros = 0;
        bool store = entries.Length > 0;
        for (int k = 0; k < count; k++)
        {
            int index = source[start + (k * stride)] & 0xF;
            if (index == 0)
            {
                zeros++;
                continue;
            }

            while (zeros > CcsEntry.MaxZeroRun)
            {
                if (store)
                {
                    entries[written] = CcsEntry.Pack(0, CcsEntry.MaxZeroRun);
                }

                written++;
                zeros -= CcsEntry.MaxZeroRun + 1;
            }

            if (store)
            {
                entries[written] = CcsEntry.Pack(index, zeros);
            }

            written++;
            zeros = 0;
        }

        return written;
    }

    /// <summary>Number of entries (padding included) in PE <paramref name="pe"/>'s slice of a row-major index matrix.</summary>
    public static int CountSliceEntries(ReadOnlySpan<byte> indices, int rows, int cols, int peCount, int pe)
    {
        int localRows = LocalRowCount(rows, peCount, pe);
        int total = 0;
        for (int j = 0; j < cols; j++)
        {
            total += EncodeColumn(indices, (pe * cols) + j, peCount * cols, localRows, []);
        }

        return total;
    }

    /// <summary>
    /// Encodes PE <paramref name="pe"/>'s slice of a row-major <paramref name="rows"/> x <paramref name="cols"/>
    /// index matrix. <paramref name="entries"/> must hold <see cref="CountSliceEntries"/> bytes and
    /// <paramref name="pointers"/> <c>cols + 1</c> values; <c>pointers[j+1] - pointers[j]</c> is the
    /// number of entries of column <c>j</c>. Returns the number of entries written.
    /// </summary>
    public static int EncodeSlice(ReadOnlySpan<byte> indices, int rows, int cols, int peCount, int pe, Span<byte> entries, Span<int> pointers)
    {
        int localRows = LocalRowCount(rows, peCount, pe);
        int position = 0;
        for (int j = 0; j < cols; j++)
        {
            pointers[j] = position;
            int needed = EncodeColumn(indices, (pe * cols) + j, peCount * cols, localRows, []);
            if (needed > 0)
            {
                EncodeColumn(indices, (pe * cols) + j, peCount * cols, localRows, entries.Slice(position, needed));
            }

            position += needed;
        }

        pointers[cols] = position;
        return position;
    }
}
