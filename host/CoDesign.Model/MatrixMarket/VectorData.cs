namespace CoDesign.Model.MatrixMarket;

/// <summary>A vector read from a file, with the line each value came from so later checks can point at it.</summary>
public sealed class VectorData
{
    /// <summary>Creates the vector; <paramref name="lineNumbers"/> gives each value's 1-based line, or 0 where unknown.</summary>
    public VectorData(string source, double[] values, int[] lineNumbers)
    {
        if (values.Length != lineNumbers.Length)
        {
            throw new ArgumentException($"{values.Length} values but {lineNumbers.Length} line numbers", nameof(lineNumbers));
        }

        Source = source;
        Values = values;
        LineNumbers = lineNumbers;
    }

    /// <summary>The file (or source name) the vector came from.</summary>
    public string Source { get; }

    /// <summary>The values, index 0 first.</summary>
    public double[] Values { get; }

    /// <summary>The 1-based line of each value, 0 where the reader could not tell (Matrix Market input).</summary>
    public int[] LineNumbers { get; }

    /// <summary>Number of values.</summary>
    public int Length => Values.Length;

    /// <summary>Where value <paramref name="index"/> came from, for messages: "x.txt line 7 (index 6)".</summary>
    public string Describe(int index) =>
        LineNumbers[index] > 0 ? $"{Source} line {LineNumbers[index]} (index {index})" : $"{Source} index {index}";
}
