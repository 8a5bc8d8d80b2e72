using CoDesign.Kernels;

namespace CoDesign.Model;

/// <summary>
/// A matrix of 4-bit codebook indices in compressed column storage, rows interleaved over
/// <see cref="PeCount"/> processing elements (row i on PE i mod N), one <see cref="CcsSlice"/> per PE.
/// </summary>
public sealed class CcsMatrix
{
    /// <summary>Creates a matrix from already encoded slices; <see cref="Validate"/> checks them.</summary>
    public CcsMatrix(int rows, int cols, IReadOnlyList<CcsSlice> slices)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cols);
        ArgumentOutOfRangeException.ThrowIfZero(slices.Count);
        Rows = rows;
        Cols = cols;
        Slices = slices;
    }

    /// <summary>Output rows.</summary>
    public int Rows { get; }

    /// <summary>Input columns.</summary>
    public int Cols { get; }

    /// <summary>Number of processing elements the rows are interleaved over.</summary>
    public int PeCount => Slices.Count;

    /// <summary>The per-PE slices, index = PE number.</summary>
    public IReadOnlyList<CcsSlice> Slices { get; }

    /// <summary>Stored entries over all PEs, padding entries included.</summary>
    public long EntryCount => Slices.Sum(s => (long)s.EntryCount);

    /// <summary>Entries whose codebook index is nonzero: the true nonzeros.</summary>
    public long NonzeroCount => Slices.Sum(s => (long)s.Entries.Count(e => CcsEntry.CodebookIndex(e) != 0));

    /// <summary>Fraction of the dense matrix that is nonzero.</summary>
    public double Density => (double)NonzeroCount / ((long)Rows * Cols);

    /// <summary>Encodes a row-major index matrix (values 0..15, 0 = zero weight) for <paramref name="peCount"/> PEs.</summary>
    public static CcsMatrix Encode(ReadOnlySpan<byte> indices, int rows, int cols, int peCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(peCount);
        if (indices.Length != (long)rows * cols)
        {
            throw new ArgumentException($"index matrix has {indices.Length} values, expected {rows} x {cols}", nameof(indices));
        }

        for (int i = 0; i < indices.Length; i++)
        {
            if (indices[i] >= CcsEntry.CodebookSize)
            {
                throw new ArgumentException($"codebook index {indices[i]} at row {i / cols}, column {i % cols} does not fit 4 bits", nameof(indices));
            }
        }

        var slices = new CcsSlice[peCount];
        for (int pe = 0; pe < peCount; pe++)
        {
            var entries = new byte[CcsEncoder.CountSliceEntries(indices, rows, cols, peCount, pe)];
            var pointers = new int[cols + 1];
            CcsEncoder.EncodeSlice(indices, rows, cols, peCount, pe, entries, pointers);
            slices[pe] = new CcsSlice(entries, pointers);
        }

        return new CcsMatrix(rows, cols, slices);
    }

    /// <summary>Decodes back to a row-major index matrix.</summary>
    public byte[] DecodeIndices()
    {
        var indices = new byte[(long)Rows * Cols];
        for (int pe = 0; pe < PeCount; pe++)
        {
            if (!CcsDecoder.DecodeSlice(Slices[pe].Entries, Slices[pe].Pointers, Rows, Cols, PeCount, pe, indices))
            {
                throw new InvalidDataException($"CCS slice of PE {pe} is malformed");
            }
        }

        return indices;
    }

    /// <summary>
    /// Rows <paramref name="firstRow"/> .. <paramref name="firstRow"/> + <paramref name="rowCount"/> - 1 as a
    /// matrix of their own, interleaved over the same PEs (its row 0 is row <paramref name="firstRow"/> here).
    /// </summary>
    public CcsMatrix SliceRows(int firstRow, int rowCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstRow);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rowCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(firstRow + rowCount, Rows, nameof(rowCount));
        if (firstRow == 0 && rowCount == Rows)
        {
            return this;
        }

        // Row-major indices, so the rows wanted are one contiguous run.
        byte[] indices = DecodeIndices();
        return Encode(indices.AsSpan(firstRow * Cols, rowCount * Cols), rowCount, Cols, PeCount);
    }

    /// <summary>The same matrix interleaved over a different number of PEs.</summary>
    public CcsMatrix Repartition(int peCount) => peCount == PeCount ? this : Encode(DecodeIndices(), Rows, Cols, peCount);

    /// <summary>
    /// Checks the structure: pointer counts, monotone pointers from 0 to the entry count, and every
    /// entry inside its PE's rows. Returns null when sound, else what is wrong and where.
    /// </summary>
    public string? Validate()
    {
        for (int pe = 0; pe < PeCount; pe++)
        {
            CcsSlice slice = Slices[pe];
            if (slice.Pointers.Length != Cols + 1)
            {
                return $"PE {pe}: {slice.Pointers.Length} column pointers, expected {Cols + 1}";
            }

            if (slice.Pointers[0] != 0)
            {
                return $"PE {pe}: first pointer is {slice.Pointers[0]}, expected 0";
            }

            if (slice.Pointers[Cols] != slice.Entries.Length)
            {
                return $"PE {pe}: final pointer {slice.Pointers[Cols]} does not equal the entry count {slice.Entries.Length}";
            }

            int localRows = CcsEncoder.LocalRowCount(Rows, PeCount, pe);
            for (int j = 0; j < Cols; j++)
            {
                int begin = slice.Pointers[j];
                int end = slice.Pointers[j + 1];
                if (begin < 0 || end < begin)
                {
                    return $"PE {pe}: column {j} pointers decrease ({begin} -> {end})";
                }

                if (end > slice.Entries.Length)
                {
                    return $"PE {pe}: column {j} ends at entry {end}, past the {slice.Entries.Length} entries";
                }

                int row = 0;
                for (int e = begin; e < end; e++)
                {
                    row += CcsEntry.ZeroRun(slice.Entries[e]) + 1;
                }

                if (row > localRows)
                {
                    return $"PE {pe}: column {j} runs to local row {row - 1}, but the PE has {localRows} rows";
                }
            }
        }

        return null;
    }
}
