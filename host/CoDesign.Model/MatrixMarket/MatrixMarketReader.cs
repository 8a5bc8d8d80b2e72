using System.Globalization;
using CoDesign.Model.Files;

namespace CoDesign.Model.MatrixMarket;

/// <summary>
/// Reads Matrix Market files (NIST's exchange format for sparse matrices):
/// <c>%%MatrixMarket matrix coordinate|array real|integer|pattern general|symmetric|skew-symmetric</c>.
/// </summary>
/// <remarks>
/// Indices in the file count from 1; <see cref="SparseMatrixData"/> counts from 0. Symmetric and
/// skew-symmetric storage is expanded: every off-diagonal entry also appears mirrored (negated for
/// skew-symmetric). Either triangle is accepted, as common readers do; a position given twice is
/// summed, as the format specifies for duplicates. Array files list values column by column and
/// their zeros are not kept as entries. Comment lines (<c>%</c>) and blank lines are skipped anywhere
/// after the header. Complex and Hermitian matrices are refused: the accelerator has no complex
/// arithmetic. Every malformed input raises <see cref="MatrixMarketFormatException"/> naming the file
/// and the line.
/// <para>
/// Limits, so that no file can take unbounded time or memory: a file of at most
/// <see cref="MaxFileBytes"/> (checked before reading), lines of at most <see cref="MaxLineChars"/>
/// characters (refused without being held whole), dimensions of at most <see cref="MaxDimension"/>
/// (the model format's limit on a layer) and at most <see cref="MaxEntries"/> stored entries after
/// symmetric expansion (the entries take 16 bytes each, and sorting copies them a few times). A
/// matrix whose rows x cols is too large for the dense staging of <c>SpmvModelBuilder</c> is
/// refused there.
/// </para>
/// </remarks>
public static class MatrixMarketReader
{
    /// <summary>The banner every Matrix Market file starts with.</summary>
    public const string Banner = "%%MatrixMarket";

    /// <summary>The largest file read: 256 MiB.</summary>
    public const long MaxFileBytes = 256L << 20;

    /// <summary>The longest line: 65,536 characters (the format itself limits lines to 1,024).</summary>
    public const int MaxLineChars = 1 << 16;

    /// <summary>The largest row or column count: 2^24, as for a layer of a model file.</summary>
    public const int MaxDimension = 1 << 24;

    /// <summary>The most entries kept, counting mirrored symmetric entries: 2^23 (128 MiB of entries).</summary>
    public const int MaxEntries = 1 << 23;

    private enum Layout
    {
        Coordinate,
        Array,
    }

    private enum Symmetry
    {
        General,
        Symmetric,
        SkewSymmetric,
    }

    /// <summary>Reads the Matrix Market file at <paramref name="path"/> (see the limits in the remarks).</summary>
    public static SparseMatrixData Read(string path)
    {
        using StreamReader reader = OpenText(path, "Matrix Market file", MaxFileBytes);
        return Read(reader, path);
    }

    /// <summary>Parses Matrix Market text; <paramref name="source"/> names it in error messages.</summary>
    public static SparseMatrixData Parse(string text, string source = "matrix") => Read(new StringReader(text), source);

    /// <summary>Reads Matrix Market text from <paramref name="reader"/>; <paramref name="source"/> names it in error messages.</summary>
    public static SparseMatrixData Read(TextReader reader, string source)
    {
        var lines = new LineCursor(reader, source, MaxLineChars, MaxFileBytes);
        string? first = lines.NextRaw();
        if (first is null)
        {
            throw new MatrixMarketFormatException(source, 0, "the file is empty; expected a \"%%MatrixMarket matrix ...\" header");
        }

        return ReadAfterBanner(lines, first);
    }

    /// <summary>Reads the rest of a Matrix Market file whose first line, <paramref name="first"/>, <paramref name="lines"/> has already read.</summary>
    internal static SparseMatrixData ReadAfterBanner(LineCursor lines, string first)
    {
        (Layout layout, MatrixValueField field, Symmetry symmetry) = ParseHeader(first, lines.Source, lines.LineNumber);
        return layout == Layout.Coordinate
            ? ReadCoordinate(lines, field, symmetry)
            : ReadArray(lines, field, symmetry);
    }

    /// <summary>Opens a text file after <see cref="InputFile"/>'s checks; every problem is a format exception that names the file.</summary>
    internal static StreamReader OpenText(string path, string what, long maxBytes) =>
        new(InputFile.OpenRead(path, what, maxBytes, problem => new MatrixMarketFormatException(path, 0, problem)));

    /// <summary>True when <paramref name="line"/> is a Matrix Market banner line.</summary>
    internal static bool IsBanner(string line) => line.TrimStart().StartsWith(Banner, StringComparison.OrdinalIgnoreCase);

    private static (Layout, MatrixValueField, Symmetry) ParseHeader(string line, string source, int lineNumber)
    {
        string[] tokens = LineCursor.Tokenize(line);
        if (tokens.Length == 0 || !tokens[0].Equals(Banner, StringComparison.OrdinalIgnoreCase))
        {
            throw new MatrixMarketFormatException(source, lineNumber, $"not a Matrix Market file: the first line must start with \"{Banner}\"");
        }

        if (tokens.Length != 5)
        {
            throw new MatrixMarketFormatException(
                source, lineNumber, $"the header has {tokens.Length} words; expected \"{Banner} matrix <coordinate|array> <real|integer|pattern> <general|symmetric|skew-symmetric>\"");
        }

        if (!tokens[1].Equals("matrix", StringComparison.OrdinalIgnoreCase))
        {
            throw new MatrixMarketFormatException(source, lineNumber, $"object {EchoedText.Quote(tokens[1])} is not supported; only \"matrix\" is");
        }

        Layout layout = tokens[2].ToLowerInvariant() switch
        {
            "coordinate" => Layout.Coordinate,
            "array" => Layout.Array,
            _ => throw new MatrixMarketFormatException(source, lineNumber, $"format {EchoedText.Quote(tokens[2])} is unknown; expected \"coordinate\" or \"array\""),
        };
        MatrixValueField field = tokens[3].ToLowerInvariant() switch
        {
            "real" or "double" => MatrixValueField.Real,
            "integer" => MatrixValueField.Integer,
            "pattern" => MatrixValueField.Pattern,
            "complex" => throw new MatrixMarketFormatException(source, lineNumber, "complex matrices are not supported: the accelerator computes with real integers"),
            _ => throw new MatrixMarketFormatException(source, lineNumber, $"field {EchoedText.Quote(tokens[3])} is unknown; expected \"real\", \"integer\" or \"pattern\""),
        };
        Symmetry symmetry = tokens[4].ToLowerInvariant() switch
        {
            "general" => Symmetry.General,
            "symmetric" => Symmetry.Symmetric,
            "skew-symmetric" => Symmetry.SkewSymmetric,
            "hermitian" => throw new MatrixMarketFormatException(source, lineNumber, "hermitian matrices are not supported (they are complex)"),
            _ => throw new MatrixMarketFormatException(source, lineNumber, $"symmetry {EchoedText.Quote(tokens[4])} is unknown; expected \"general\", \"symmetric\" or \"skew-symmetric\""),
        };
        if (layout == Layout.Array && field == MatrixValueField.Pattern)
        {
            throw new MatrixMarketFormatException(source, lineNumber, "an array file cannot have the pattern field: a dense listing needs values");
        }

        return (layout, field, symmetry);
    }

    private static SparseMatrixData ReadCoordinate(LineCursor lines, MatrixValueField field, Symmetry symmetry)
    {
        string[] size = lines.NextDataLine() ?? throw lines.Error(0, "the file ends before the size line \"rows cols entries\"");
        if (size.Length != 3)
        {
            throw lines.Error($"the size line has {size.Length} numbers; a coordinate file needs \"rows cols entries\"");
        }

        int rows = ParseDimension(lines, size[0], "row count");
        int cols = ParseDimension(lines, size[1], "column count");
        long declared = ParseCount(lines, size[2], "entry count");
        int sizeLine = lines.LineNumber;
        CheckSquare(lines, rows, cols, symmetry);
        if (declared > (long)rows * cols)
        {
            throw lines.Error($"{declared} entries declared, more than the {rows} x {cols} matrix has positions");
        }

        int valueTokens = field == MatrixValueField.Pattern ? 0 : 1;
        // The declared count sizes the list only up to a sane cap, so a corrupt header cannot make us allocate gigabytes.
        var entries = new List<MatrixEntry>((int)Math.Min(declared * (symmetry == Symmetry.General ? 1 : 2), 1 << 16));
        for (long k = 0; k < declared; k++)
        {
            string[] tokens = lines.NextDataLine()
                ?? throw lines.Error(0, $"the file ends after {k} of the {declared} entries declared on line {sizeLine}");
            if (tokens.Length != 2 + valueTokens)
            {
                string expected = valueTokens == 0 ? "\"row col\" (pattern)" : "\"row col value\"";
                throw lines.Error($"entry {k + 1} has {tokens.Length} fields; expected {expected}");
            }

            int row = ParseIndex(lines, tokens[0], "row", rows);
            int col = ParseIndex(lines, tokens[1], "column", cols);
            double value = valueTokens == 0 ? 1.0 : ParseValue(lines, tokens[2], field);
            AddWithSymmetry(lines, entries, row, col, value, symmetry);
        }

        ExpectEnd(lines, declared);
        return new SparseMatrixData(rows, cols, entries, field);
    }

    private static SparseMatrixData ReadArray(LineCursor lines, MatrixValueField field, Symmetry symmetry)
    {
        string[] size = lines.NextDataLine() ?? throw lines.Error(0, "the file ends before the size line \"rows cols\"");
        if (size.Length != 2)
        {
            throw lines.Error($"the size line has {size.Length} numbers; an array file needs \"rows cols\"");
        }

        int rows = ParseDimension(lines, size[0], "row count");
        int cols = ParseDimension(lines, size[1], "column count");
        int sizeLine = lines.LineNumber;
        CheckSquare(lines, rows, cols, symmetry);
        long expected = symmetry switch
        {
            Symmetry.General => (long)rows * cols,
            Symmetry.Symmetric => (long)rows * (rows + 1) / 2,
            _ => (long)rows * (rows - 1) / 2,
        };

        var entries = new List<MatrixEntry>();
        var tokens = new TokenCursor(lines);
        // Column-major order; symmetric storage lists the lower triangle (skew-symmetric without the diagonal).
        long read = 0;
        for (int j = 0; j < cols; j++)
        {
            int firstRow = symmetry switch
            {
                Symmetry.General => 0,
                Symmetry.Symmetric => j,
                _ => j + 1,
            };
            for (int i = firstRow; i < rows; i++)
            {
                string token = tokens.Next()
                    ?? throw lines.Error(0, $"the file ends after {read} of the {expected} values the size line {sizeLine} calls for");
                double value = ParseValue(lines, token, field);
                read++;
                if (value != 0)
                {
                    AddWithSymmetry(lines, entries, i, j, value, symmetry);
                }
            }
        }

        if (tokens.HasPendingTokens)
        {
            throw lines.Error($"more values than the {expected} the size line {sizeLine} calls for");
        }

        ExpectEnd(lines, expected);
        return new SparseMatrixData(rows, cols, entries, field);
    }

    private static void AddWithSymmetry(LineCursor lines, List<MatrixEntry> entries, int row, int col, double value, Symmetry symmetry)
    {
        if (symmetry == Symmetry.SkewSymmetric && row == col)
        {
            throw lines.Error($"skew-symmetric matrices have a zero diagonal, but entry ({row + 1}, {col + 1}) is on it");
        }

        int adding = symmetry != Symmetry.General && row != col ? 2 : 1;
        if (entries.Count + adding > MaxEntries)
        {
            throw lines.Error($"more than the {MaxEntries:N0} entries this reader accepts (mirrored symmetric entries count)");
        }

        entries.Add(new MatrixEntry(row, col, value));
        if (symmetry != Symmetry.General && row != col)
        {
            entries.Add(new MatrixEntry(col, row, symmetry == Symmetry.SkewSymmetric ? -value : value));
        }
    }

    private static void CheckSquare(LineCursor lines, int rows, int cols, Symmetry symmetry)
    {
        if (symmetry != Symmetry.General && rows != cols)
        {
            throw lines.Error($"a {(symmetry == Symmetry.Symmetric ? "symmetric" : "skew-symmetric")} matrix must be square, but the size line says {rows} x {cols}");
        }
    }

    private static void ExpectEnd(LineCursor lines, long declared)
    {
        if (lines.NextDataLine() is not null)
        {
            throw lines.Error($"unexpected data after the {declared} declared entries");
        }
    }

    private static int ParseDimension(LineCursor lines, string token, string what)
    {
        if (!long.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out long value) || value <= 0)
        {
            throw lines.Error($"{what} {EchoedText.Quote(token)} is not a positive integer");
        }

        if (value > MaxDimension)
        {
            throw lines.Error($"{what} {value} is more than the {MaxDimension:N0} this reader accepts");
        }

        return (int)value;
    }

    private static long ParseCount(LineCursor lines, string token, string what)
    {
        if (!long.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out long value))
        {
            throw lines.Error($"{what} {EchoedText.Quote(token)} is not a non-negative integer");
        }

        if (value > MaxEntries)
        {
            throw lines.Error($"{what} {value} is more than the {MaxEntries:N0} entries this reader accepts");
        }

        return value;
    }

    private static int ParseIndex(LineCursor lines, string token, string what, int limit)
    {
        if (!long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
        {
            throw lines.Error($"{what} index {EchoedText.Quote(token)} is not an integer");
        }

        if (value < 1 || value > limit)
        {
            throw lines.Error($"{what} index {value} is outside 1..{limit}");
        }

        return (int)(value - 1);
    }

    private static double ParseValue(LineCursor lines, string token, MatrixValueField field)
    {
        if (field == MatrixValueField.Integer)
        {
            if (!long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long integer))
            {
                throw lines.Error($"value {EchoedText.Quote(token)} is not an integer, as the header's \"integer\" field requires");
            }

            return integer;
        }

        if (!double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
        {
            throw lines.Error($"value {EchoedText.Quote(token)} is not a finite real number");
        }

        return value;
    }

    /// <summary>Hands out whitespace-separated tokens across data lines, for listings with any number of values per line.</summary>
    private sealed class TokenCursor(LineCursor lines)
    {
        private string[] _tokens = [];
        private int _next;

        public bool HasPendingTokens => _next < _tokens.Length;

        public string? Next()
        {
            while (_next >= _tokens.Length)
            {
                string[]? line = lines.NextDataLine();
                if (line is null)
                {
                    return null;
                }

                _tokens = line;
                _next = 0;
            }

            return _tokens[_next++];
        }
    }
}
