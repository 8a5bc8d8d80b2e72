using System.Globalization;

namespace CoDesign.Model.MatrixMarket;

/// <summary>
/// Reads an input vector such as <c>x.txt</c>: numbers separated by whitespace (one per line or
/// several), with <c>%</c> or <c>#</c> comment lines; or a Matrix Market file holding a single row or
/// a single column (array or coordinate), recognised by its <c>%%MatrixMarket</c> banner.
/// </summary>
public static class VectorFileReader
{
    /// <summary>Reads the vector file at <paramref name="path"/>.</summary>
    public static VectorData Read(string path)
    {
        using StreamReader reader = MatrixMarketReader.OpenText(path);
        return Read(reader, path);
    }

    /// <summary>Parses vector text; <paramref name="source"/> names it in error messages.</summary>
    public static VectorData Parse(string text, string source = "vector") => Read(new StringReader(text), source);

    /// <summary>Reads vector text from <paramref name="reader"/>; <paramref name="source"/> names it in error messages.</summary>
    public static VectorData Read(TextReader reader, string source)
    {
        string all = reader.ReadToEnd();
        // Matrix Market files announce themselves on their first line.
        string firstLine = all.Split('\n', 2)[0];
        if (MatrixMarketReader.IsBanner(firstLine))
        {
            return FromMatrixMarket(MatrixMarketReader.Parse(all, source), source);
        }

        var values = new List<double>();
        var lines = new List<int>();
        var cursor = new MatrixMarketReader.LineCursor(new StringReader(all), source);
        while (cursor.NextRaw() is { } line)
        {
            string trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed[0] is '%' or '#')
            {
                continue;
            }

            foreach (string token in MatrixMarketReader.Tokenize(trimmed))
            {
                if (!double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
                {
                    throw cursor.Error($"\"{token}\" (index {values.Count}) is not a finite number");
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
        var values = new double[column ? matrix.Rows : matrix.Cols];
        foreach (MatrixEntry e in matrix.Entries)
        {
            values[column ? e.Row : e.Col] = e.Value;
        }

        return new VectorData(source, values, new int[values.Length]);
    }
}
