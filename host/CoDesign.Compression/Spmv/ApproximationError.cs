using CoDesign.Model.MatrixMarket;

namespace CoDesign.Compression.Spmv;

/// <summary>
/// How far an approximate product is from the exact one, element by element: the worst error relative
/// to the element's own exact value (so a 100 % error on a small element is not hidden behind a large
/// one), and, for elements whose exact value is zero, the worst absolute error.
/// </summary>
/// <param name="WorstRelative">Largest |y_i - exact_i| / |exact_i| over elements with exact_i != 0.</param>
/// <param name="WorstRelativeRow">Its row (0-based), or -1 when no element is nonzero.</param>
/// <param name="WorstAbsoluteAtZero">Largest |y_i| over elements whose exact value is zero.</param>
public sealed record ApproximationError(double WorstRelative, int WorstRelativeRow, double WorstAbsoluteAtZero)
{
    /// <summary>Compares <paramref name="y"/> with the product of <paramref name="matrix"/> and <paramref name="x"/> in double precision.</summary>
    public static ApproximationError Measure(SparseMatrixData matrix, IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        var exact = new double[matrix.Rows];
        foreach (MatrixEntry e in matrix.Entries)
        {
            exact[e.Row] += e.Value * x[e.Col];
        }

        double worst = 0, atZero = 0;
        int worstRow = -1;
        for (int i = 0; i < exact.Length; i++)
        {
            double error = Math.Abs(y[i] - exact[i]);
            if (exact[i] == 0)
            {
                atZero = Math.Max(atZero, error);
            }
            else if (worstRow < 0 || error / Math.Abs(exact[i]) > worst)
            {
                worst = error / Math.Abs(exact[i]);
                worstRow = i;
            }
        }

        return new ApproximationError(worst, worstRow, atZero);
    }
}
