using System.Globalization;
using CoDesign.Model.MatrixMarket;

namespace CoDesign.Compression;

/// <summary>
/// Checks that a vector read from a file can be an accelerator input: the accelerator's activations
/// are unsigned 8-bit integers, so every entry must be a whole number from 0 to 255.
/// </summary>
public static class ActivationVector
{
    /// <summary>
    /// The vector as activations, after checking its length against <paramref name="expectedLength"/>
    /// (the matrix's column count) and every value against 0..255. Errors name the file, the line and
    /// the index of the offending value.
    /// </summary>
    public static byte[] FromVector(VectorData vector, int expectedLength)
    {
        if (vector.Length != expectedLength)
        {
            throw new MatrixMarketFormatException(
                vector.Source, 0, $"the vector has {vector.Length} values, but the matrix has {expectedLength} columns");
        }

        var activations = new byte[vector.Length];
        for (int i = 0; i < vector.Length; i++)
        {
            double value = vector.Values[i];
            if (value != Math.Floor(value) || value is < byte.MinValue or > byte.MaxValue)
            {
                string kind = value != Math.Floor(value) ? "is not an integer" : "is out of range";
                throw new MatrixMarketFormatException(
                    vector.Source,
                    vector.LineNumbers[i],
                    string.Create(CultureInfo.InvariantCulture, $"index {i}: value {value} {kind}; the accelerator's activations are unsigned 8-bit integers, allowed range 0..255"));
            }

            activations[i] = (byte)value;
        }

        return activations;
    }
}
