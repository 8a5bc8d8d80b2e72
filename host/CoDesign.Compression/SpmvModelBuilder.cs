using System.Globalization;
using CoDesign.Kernels;
using CoDesign.Model;
using CoDesign.Model.MatrixMarket;

namespace CoDesign.Compression;

/// <summary>
/// Puts a general sparse matrix on the accelerator as a one-layer model computing <c>y = A x</c>
/// with raw 32-bit outputs. The accelerator stores weights as 4-bit indices into 16 signed 16-bit
/// codebook values (index 0 = zero), so a matrix is encoded exactly when its values are integers with
/// at most 15 distinct nonzero values in int16 range; otherwise its nonzeros are clustered by k-means
/// into 15 shared values in 16-bit fixed point and the report says how large the error is.
/// </summary>
public static class SpmvModelBuilder
{
    /// <summary>The most positions (rows x cols) a matrix may have: 2^28, as the encoder stages one byte per position.</summary>
    public const long MaxPositions = 1L << 28;

    /// <summary>Encodes <paramref name="matrix"/> for <paramref name="peCount"/> PEs; a matrix of more than <see cref="MaxPositions"/> positions is an <see cref="ArgumentException"/>.</summary>
    public static SpmvModel Build(SparseMatrixData matrix, int peCount, string name = "spmv")
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(peCount);
        long positions = (long)matrix.Rows * matrix.Cols;
        if (positions > MaxPositions)
        {
            // No parameter name: the message goes to the user as it is.
            throw new ArgumentException(
                $"a {matrix.Rows:N0} x {matrix.Cols:N0} matrix has {positions:N0} positions, more than the {MaxPositions:N0} the CCS encoder can stage as a dense index matrix");
        }

        MatrixEntry[] nonzeros = [.. matrix.Entries.Where(e => e.Value != 0)];
        double[] distinct = [.. nonzeros.Select(e => e.Value).Distinct().Order()];
        double maxAbs = nonzeros.Length == 0 ? 0 : nonzeros.Max(e => Math.Abs(e.Value));
        bool exact = distinct.Length <= KMeansCodebook.SharedValueCount
            && distinct.All(v => v == Math.Floor(v) && v is >= short.MinValue and <= short.MaxValue);

        // Codebook entries 1..n in ascending order; each stands for the real value entry * 2^-exponent.
        double[] centroids = exact ? distinct : KMeansCodebook.Cluster([.. nonzeros.Select(e => e.Value)], KMeansCodebook.SharedValueCount);
        int exponent = exact ? 0 : InitialExponent(centroids);
        Encoding encoding;
        while (true)
        {
            encoding = Encode(matrix, nonzeros, centroids, exponent, exact);
            // Exact values are kept whatever the cost; a fixed-point encoding gives up resolution
            // until no row can overflow the accumulator.
            if (exact || encoding.WorstRowSum <= int.MaxValue)
            {
                break;
            }

            exponent--;
        }

        double unit = Math.ScaleB(1.0, -exponent);
        short[] codebook = encoding.Codebook;
        byte[] indices = encoding.Indices;
        bool mayWrap = encoding.WorstRowSum > int.MaxValue;
        double squaredError = encoding.SquaredError;
        double maxError = encoding.MaxError;
        var report = new SpmvEncodingReport(
            exact,
            distinct.Length,
            nonzeros.Length,
            maxAbs,
            unit,
            maxAbs == 0 ? 0 : Math.Sqrt(squaredError / nonzeros.Length) / maxAbs,
            maxAbs == 0 ? 0 : maxError / maxAbs,
            mayWrap);

        var layer = new SparseLayer(
            CcsMatrix.Encode(indices, matrix.Rows, matrix.Cols, peCount), codebook, new int[matrix.Rows], LayerOutput.Raw32, 0, (float)unit);
        var metadata = new Dictionary<string, string>
        {
            ["producer"] = "CoDesign.Compression.SpmvModelBuilder",
            ["exact"] = exact ? "true" : "false",
            ["output_unit"] = unit.ToString("R", CultureInfo.InvariantCulture),
            ["distinct_nonzero_values"] = distinct.Length.ToString(CultureInfo.InvariantCulture),
            ["rms_relative_error"] = report.RmsRelativeError.ToString("R", CultureInfo.InvariantCulture),
            ["max_relative_error"] = report.MaxRelativeError.ToString("R", CultureInfo.InvariantCulture),
        };
        return new SpmvModel(new SparseModel(name, matrix.Cols, [layer], metadata), report);
    }

    /// <summary>The largest exponent f with every centroid times 2^f within int16.</summary>
    private static int InitialExponent(double[] centroids)
    {
        double largest = centroids.Max(Math.Abs);
        if (largest == 0)
        {
            return 0;
        }

        int exponent = (int)Math.Floor(Math.Log2(short.MaxValue / largest));
        while (Math.Round(Math.ScaleB(largest, exponent), MidpointRounding.AwayFromZero) > short.MaxValue)
        {
            exponent--;
        }

        return exponent;
    }

    /// <summary>Codebook, index matrix and error figures for the levels <paramref name="centroids"/> at fixed-point exponent <paramref name="exponent"/>.</summary>
    private static Encoding Encode(SparseMatrixData matrix, MatrixEntry[] nonzeros, double[] centroids, int exponent, bool exact)
    {
        double[] levels = [.. centroids.Select(c => Math.Round(Math.ScaleB(c, exponent), MidpointRounding.AwayFromZero))];
        var codebook = new short[CcsEntry.CodebookSize];
        for (int k = 0; k < levels.Length; k++)
        {
            codebook[k + 1] = (short)levels[k];
        }

        double unit = Math.ScaleB(1.0, -exponent);
        double[] stored = [.. levels.Select(level => level * unit)];
        var indices = new byte[(long)matrix.Rows * matrix.Cols];
        var rowSum = new double[matrix.Rows];
        double squaredError = 0;
        double maxError = 0;
        foreach (MatrixEntry e in nonzeros)
        {
            // Nearest stored value (not nearest centroid): rounding to int16 may have moved the levels.
            int k = exact ? Array.BinarySearch(levels, e.Value) : KMeansCodebook.NearestCentroid(stored, e.Value);
            indices[((long)e.Row * matrix.Cols) + e.Col] = (byte)(k + 1);
            double error = Math.Abs(e.Value - stored[k]);
            squaredError += error * error;
            maxError = Math.Max(maxError, error);
            rowSum[e.Row] += Math.Abs(levels[k]) * byte.MaxValue;
        }

        return new Encoding(codebook, indices, squaredError, maxError, rowSum.Length == 0 ? 0 : rowSum.Max());
    }

    /// <summary>One candidate encoding; <see cref="WorstRowSum"/> is the largest possible |accumulator| of a row for inputs up to 255.</summary>
    private sealed record Encoding(short[] Codebook, byte[] Indices, double SquaredError, double MaxError, double WorstRowSum);
}
