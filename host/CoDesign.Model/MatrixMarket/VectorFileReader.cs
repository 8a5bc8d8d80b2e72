using System.Globalization;
using CoDesign.Model.Files;

namespace CoDesign.Model.MatrixMarket;

/// <summary>
/// Reads an input vector such as <c>x.txt</c>: numbers separated by whitespace (one per line or
/// several), with <c>%</c> or <c>#</c> comment lines; or a Matrix Market file holding a single row or
/// a single column (array or coordinate), recognised by its <c>%%MatrixMarket</c> banner.
/// </summary>
/// <remarks>
/// Limits, so that no file can take unbounded time or memory: a file of at most
/// <see cref="MaxFileBytes"/> (checked before reading), lines of at most <see cref="MaxLineChars"/>
/// characters (refused without being held whole) and at most <see cref="MaxValues"/> values. Every problem is a
/// <see cref="MatrixMarketFormatException"/> naming the file and the line.
/// </remarks>
public static class VectorFileReader
{
    /// <summary>The largest file read: 256 MiB.</summary>
    public const long MaxFileBytes = 256L << 20;

    /// <summary>The longest line: 2^20 characters, room for 100,000 values on one line.</summary>
    public const int MaxLineChars = 1 << 20;

    /// <summary>The most values: 2^22 (48 MiB with their line numbers), also for a vector stored sparsely in Matrix Market form.</summary>
    public const int MaxValues = 1 << 22;

    /// <summary>Reads the vector file at <paramref name="path"/> (see the limits in the remarks).</summary>
    public static VectorData Read(string path)
    {
        using StreamReader reader = MatrixMarketReader.OpenText(path, "vector file", MaxFileBytes);
        return Read(reader, path);
    }

    /// <summary>Parses vector text; <paramref name="source"/> names it in error messages.</summary>
    public static VectorData Parse(string text, string source = "vector") => Read(new StringReader(text), source);

    /// <summary>Reads vector text from <paramref name="reader"/>; <paramref name="source"/> names it in error messages.</summary>
    public static VectorData Read(TextReader reader, string source)
    {
        var cursor = new LineCursor(reader, source, MaxLineChars, MaxFileBytes);
        string? line = cursor.NextRaw();
        // Matrix Market files announce themselves on their first line.
        if (line is not null && MatrixMarketReader.IsBanner(line))
        {
            return FromMatrixMarket(MatrixMarketReader.ReadAfterBanner(cursor, line), source);
        }

        var values = new List<double>();
        var lines = new List<int>();
        for (; line is not null; line = cursor.NextRaw())
        {
            string trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed[0] is '%' or '#')
            {
                continue;
            }

            foreach (string token in LineCursor.Tokenize(trimmed))
            {
                if (!double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
                {
                    throw cursor.Error($"{EchoedText.Quote(token)} (index {values.Count}) is not a finite number");
                }

                if (values.Count == MaxValues)
                {
                    throw cursor.Error($"more than the {MaxValues:N0} values a vector may have");
                }

                values.Add(value);
                lines.Add(cursor.LineNumber);
            }
        }

        if (values.Count == 0)
        {
            throw new MatrixMarketFormatException(source, 0, "the vector file holds no numbers");
        }

        return new VectorData(source, [.. values], [.. lines]);
    }

    private static VectorData FromMatrixMarket(SparseMatrixData matrix, string source)
    {
        if (matrix.Rows != 1 && matrix.Cols != 1)
        {
            throw new MatrixMarketFormatException(source, 0, $"a vector must have one row or one column, but the matrix is {matrix.Rows} x {matrix.Cols}");
        }

        bool column = matrix.Cols == 1;
        int length = column ? matrix.Rows : matrix.Cols;
        if (length > MaxValues)
        {
            throw new MatrixMarketFormatException(source, 0, $"a vector of {length:N0} values is longer than the {MaxValues:N0} this reader accepts");
        }

        var values = new double[length];
        foreach (MatrixEntry e in matrix.Entries)
        {
            values[column ? e.Row : e.Col] = e.Value;
        }

        return new VectorData(source, values, new int[values.Length]);
    }
}
