namespace CoDesign.Kernels;

/// <summary>Decodes CCS slices back to dense matrices of codebook indices (the inverse of <see cref="CcsEncoder"/>).</summary>
public static class CcsDecoder
{
    /// <summary>
    /// Writes PE <paramref name="pe"/>'s rows of the row-major index matrix <paramref name="indices"/>
    /// (zeros included). Returns false, leaving the output partly written, when the slice is malformed:
    /// pointers that decrease or run past the entries, or an entry that lands beyond the PE's rows.
    /// </summary>
    public static bool DecodeSlice(ReadOnlySpan<byte> entries, ReadOnlySpan<int> pointers, int rows, int cols, int peCount, int pe, Span<byte> indices)
    {
        int localRows = CcsEncoder.LocalRowCount(rows, peCount, pe);
        for (int k = 0; k < localRows; k++)
        {
            int rowStart = (pe + (k * peCount)) * cols;
            indices.Slice(rowStart, cols).Clear();
        }

        if (pointers.Length < cols + 1 || pointers[0] != 0)
        {
            return false;
        }

        for (int j = 0; j < cols; j++)
        {
            int begin = pointers[j];
            int end = pointers[j + 1];
            if (end < begin || end > entries.Length)
            {
                return false;
            }

            int row = 0;
            for (int e = begin; e < end; e++)
            {
                row += CcsEntry.ZeroRun(entries[e]);
                if (row >= localRows)
                {
                    return false;
                }

                indices[((pe + (row * peCount)) * cols) + j] = (byte)CcsEntry.CodebookIndex(entries[e]);
                row++;
            }
        }

        return true;
    }
}
