using System.Globalization;
using CoDesign.Model.MatrixMarket;
using CoDesign.Model.Spmv;

namespace CoDesign.Compression.Spmv;

/// <summary>
/// Splits an integer vector into the 8-bit planes the accelerator takes as activations: its positive
/// and negative parts, each in base-256 digits. A vector of bytes 0..255 is one plane.
/// </summary>
public static class VectorPlanes
{
    /// <summary>
    /// The planes of <paramref name="vector"/> after checking its length against
    /// <paramref name="expectedLength"/> (the matrix's columns) and every value: an integer of magnitude
    /// below 2^53. Errors name the file, the line and the index. Only planes with a nonzero digit are kept.
    /// </summary>
    public static VectorPlane[] Split(VectorData vector, int expectedLength)
    {
        if (vector.Length != expectedLength)
        {
            throw new MatrixMarketFormatException(vector.Source, 0, $"the vector has {vector.Length} values, but the matrix has {expectedLength} columns");
        }

        var values = new long[vector.Length];
        for (int i = 0; i < vector.Length; i++)
        {
            double value = vector.Values[i];
            if (!double.IsInteger(value) || Math.Abs(value) >= ExactCoding.MagnitudeLimit)
            {
                string problem = double.IsInteger(value) ? "is 2^53 or more in magnitude, beyond what the file holds exactly" : "is not an integer";
                throw new MatrixMarketFormatException(
                    vector.Source,
                    vector.LineNumbers[i],
                    string.Create(CultureInfo.InvariantCulture, $"index {i}: value {value:G10} {problem}; the vector must hold integers"));
            }

            values[i] = (long)value;
        }

        return Split(values);
    }

    /// <summary>The planes of integer <paramref name="values"/> (each of magnitude below 2^53).</summary>
    public static VectorPlane[] Split(ReadOnlySpan<long> values)
    {
        var planes = new List<VectorPlane>();
        foreach (int sign in (int[])[1, -1])
        {
            for (int shift = 0; shift < 64; shift += 8)
            {
                var digits = new byte[values.Length];
                bool any = false;
                for (int j = 0; j < values.Length; j++)
                {
                    long part = sign > 0 ? Math.Max(values[j], 0) : Math.Max(-values[j], 0);
                    digits[j] = (byte)(part >> shift);
                    any |= digits[j] != 0;
                }

                if (any)
                {
                    planes.Add(new VectorPlane(sign, shift, digits));
                }
            }
        }

        return [.. planes];
    }
}
