namespace CoDesign.Kernels;

/// <summary>
/// Sparse matrix times sparse vector over one PE's CCS slice, EIE style: only nonzero activations are
/// broadcast, and each is multiplied with the entries of its column.
/// </summary>
/// <remarks>
/// Widths: codebook values are signed 16-bit fixed point, activations unsigned 8-bit, accumulators
/// signed 32-bit. A product fits in 24 bits; sums wrap modulo 2^32 (two's complement, no saturation),
/// exactly as a 32-bit hardware accumulator does. A layer would need over 256 products of full scale
/// in one row to wrap, which the compressor's calibration rules out for real models.
/// </remarks>
public static class SparseMatVec
{
    /// <summary>
    /// Accumulates <c>acc[r] += codebook[v] * x[j]</c> over PE-local rows <c>r</c> for every column
    /// <c>j</c> with <c>x[j] != 0</c>. Returns the number of entries consumed (padding included), which
    /// is the PE's busy cycles at one entry per cycle.
    /// </summary>
    /// <param name="entries">Packed (v, z) entry bytes of the slice, see <see cref="CcsEntry"/>.</param>
    /// <param name="pointers">Column start pointers, <c>x.Length + 1</c> of them.</param>
    /// <param name="codebook">The 16 shared weights; index 0 is the zero that padding entries use.</param>
    /// <param name="x">Activations, one per column.</param>
    /// <param name="acc">Accumulators, one per PE-local row; added to, not cleared.</param>
    public static long MultiplyAccumulate(ReadOnlySpan<byte> entries, ReadOnlySpan<int> pointers, ReadOnlySpan<short> codebook, ReadOnlySpan<byte> x, Span<int> acc)
    {
        // Scaling the codebook once per broadcast activation turns every entry into one add, the
        // same trick as a PE that precomputes codebook[v] * x[j] while the column streams in.
        Span<int> scaled = stackalloc int[CcsEntry.CodebookSize];

        // The count fits an int: the columns' entries are distinct elements of one span. A 64-bit
        // sum would be the one add in the compiled PE that does not fit a 40 MHz cycle.
        int consumed = 0;

        // A column begins where the one before it ended, so each column reads one pointer: the
        // compiler then reads one pointer per column step, and the CPU saves a load.
        int begin = pointers[0];
        for (int j = 0; j < x.Length; j++)
        {
            int end = pointers[j + 1];
            int activation = x[j];
            if (activation != 0)
            {
                for (int c = 0; c < CcsEntry.CodebookSize; c++)
                {
                    scaled[c] = codebook[c] * activation;
                }

                int row = 0;
                for (int e = begin; e < end; e++)
                {
                    int entry = entries[e];
                    row += entry >> 4;
                    acc[row] = unchecked(acc[row] + scaled[entry & 0xF]);
                    row++;
                }

                consumed += end - begin;
            }

            begin = end;
        }

        return consumed;
    }

    /// <summary>
    /// Number of entries PE's slice would consume for activations <paramref name="x"/> without
    /// computing anything: the cost model's view of <see cref="MultiplyAccumulate"/>.
    /// </summary>
    public static long CountWork(ReadOnlySpan<int> pointers, ReadOnlySpan<byte> x)
    {
        long consumed = 0;
        for (int j = 0; j < x.Length; j++)
        {
            if (x[j] != 0)
            {
                consumed += pointers[j + 1] - pointers[j];
            }
        }

        return consumed;
    }

    /// <summary>Writes PE-local row values to their global rows: local row <c>k</c> of PE <c>pe</c> is row <c>pe + k*N</c>.</summary>
    public static void ScatterRows(ReadOnlySpan<int> local, int peCount, int pe, Span<int> global)
    {
        for (int k = 0; k < local.Length; k++)
        {
            global[pe + (k * peCount)] = local[k];
        }
    }
}
