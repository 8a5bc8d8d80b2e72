using CoDesign.Kernels;
using CoDesign.Model.MatrixMarket;

namespace CoDesign.Compression.Spmv;

/// <summary>
/// Writes a real matrix approximately as one codebook group: its nonzeros clustered by k-means into
/// 15 shared values (the distinct values themselves when there are no more than 15), held in 16-bit
/// fixed point with a power-of-two unit.
/// </summary>
public static class ApproximateCoding
{
    /// <summary>The shared values for <paramref name="matrix"/>'s nonzeros, ascending.</summary>
    public static double[] SharedValues(SparseMatrixData matrix)
    {
        double[] nonzeros = [.. matrix.Entries.Where(e => e.Value != 0).Select(e => e.Value)];
        double[] distinct = [.. nonzeros.Distinct().Order()];
        return distinct.Length <= KMeansCodebook.SharedValueCount ? distinct : KMeansCodebook.Cluster(nonzeros, KMeansCodebook.SharedValueCount);
    }

    /// <summary>The largest exponent f with every shared value times 2^f within a 16-bit codebook value: the finest resolution.</summary>
    public static int FinestExponent(double[] sharedValues)
    {
        double largest = sharedValues.Length == 0 ? 0 : sharedValues.Max(Math.Abs);
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

    /// <summary>Codes <paramref name="matrix"/> with <paramref name="sharedValues"/> rounded to multiples of 2^-<paramref name="exponent"/>.</summary>
    public static CodedMatrix Code(SparseMatrixData matrix, double[] sharedValues, int exponent)
    {
        var codebook = new short[CcsEntry.CodebookSize];
        var stored = new double[sharedValues.Length];
        for (int k = 0; k < sharedValues.Length; k++)
        {
            double level = Math.Clamp(Math.Round(Math.ScaleB(sharedValues[k], exponent), MidpointRounding.AwayFromZero), -short.MaxValue, short.MaxValue);
            codebook[k + 1] = (short)level;
            stored[k] = Math.ScaleB(level, -exponent);
        }

        var entries = new List<CodedEntry>();
        foreach (MatrixEntry e in matrix.Entries.Where(e => e.Value != 0))
        {
            // Nearest stored value, not nearest shared value: rounding to 16 bits may have moved them.
            entries.Add(new CodedEntry(e.Row, e.Col, (byte)(KMeansCodebook.NearestCentroid(stored, e.Value) + 1)));
        }

        return new CodedMatrix(matrix.Rows, matrix.Cols, [new CodeGroup(codebook, -exponent, entries)]);
    }
}
