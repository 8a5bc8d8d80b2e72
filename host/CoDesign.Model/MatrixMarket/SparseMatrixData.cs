namespace CoDesign.Model.MatrixMarket;

/// <summary>
/// A sparse matrix as read from a file: its shape and its stored entries, sorted by row then column,
/// each position at most once (duplicates in the file are summed), symmetric storage already expanded.
/// Entries whose value is zero are kept when the file stores them explicitly.
/// </summary>
public sealed class SparseMatrixData
{
    /// <summary>Creates the matrix; sorts the entries and sums duplicate positions.</summary>
    public SparseMatrixData(int rows, int cols, IEnumerable<MatrixEntry> entries, MatrixValueField field = MatrixValueField.Real)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cols);
        var sorted = entries.ToList();
        foreach (MatrixEntry e in sorted)
        {
            if ((uint)e.Row >= (uint)rows || (uint)e.Col >= (uint)cols)
            {
                throw new ArgumentException($"entry ({e.Row}, {e.Col}) lies outside the {rows} x {cols} matrix", nameof(entries));
            }
        }

        // A stable sort keeps duplicates in file order, so their sum is the same on every run.
        sorted = [.. sorted.OrderBy(e => e.Row).ThenBy(e => e.Col)];
        var merged = new List<MatrixEntry>(sorted.Count);
        foreach (MatrixEntry e in sorted)
        {
            if (merged.Count > 0 && merged[^1].Row == e.Row && merged[^1].Col == e.Col)
            {
                merged[^1] = merged[^1] with { Value = merged[^1].Value + e.Value };
            }
            else
            {
                merged.Add(e);
            }
        }

        Rows = rows;
        Cols = cols;
        Field = field;
        Entries = merged;
    }

    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>Number of columns.</summary>
    public int Cols { get; }

    /// <summary>What kind of values the source file declared.</summary>
    public MatrixValueField Field { get; }

    /// <summary>The stored entries, sorted by row then column, one per position.</summary>
    public IReadOnlyList<MatrixEntry> Entries { get; }

    /// <summary>The matrix as a dense row-major array (rows x cols doubles).</summary>
    public double[] ToDenseRowMajor()
    {
        long size = (long)Rows * Cols;
        if (size > Array.MaxLength)
        {
            throw new InvalidOperationException($"a {Rows} x {Cols} matrix is too large to hold densely");
        }

        var dense = new double[size];
        foreach (MatrixEntry e in Entries)
        {
            dense[((long)e.Row * Cols) + e.Col] = e.Value;
        }

        return dense;
    }
}
