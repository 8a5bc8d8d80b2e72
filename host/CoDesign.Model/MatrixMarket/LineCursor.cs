using CoDesign.Model.Files;

namespace CoDesign.Model.MatrixMarket;

/// <summary>
/// Reads the lines of a matrix or vector file, counting them, within the reader's bounds on line
/// length and total size; skips comments and blank lines when asked for data. Every problem is a
/// <see cref="MatrixMarketFormatException"/> naming the source and the line.
/// </summary>
internal sealed class LineCursor
{
    private readonly BoundedLineReader _reader;

    /// <summary>Creates the cursor over <paramref name="reader"/>; <paramref name="source"/> names it in errors.</summary>
    public LineCursor(TextReader reader, string source, int maxLineChars, long maxTotalChars)
    {
        Source = source;
        _reader = new BoundedLineReader(reader, maxLineChars, maxTotalChars, problem => Error(LineNumber + 1, problem));
    }

    /// <summary>Line number of the line last returned (1-based).</summary>
    public int LineNumber { get; private set; }

    /// <summary>The source name used in errors.</summary>
    public string Source { get; }

    /// <summary>The next line as it is, or null at the end.</summary>
    public string? NextRaw()
    {
        string? line = _reader.ReadLine();
        if (line is not null)
        {
            LineNumber++;
        }

        return line;
    }

    /// <summary>The tokens of the next line that is neither blank nor a comment, or null at the end.</summary>
    public string[]? NextDataLine()
    {
        while (NextRaw() is { } line)
        {
            string trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed[0] == '%')
            {
                continue;
            }

            return Tokenize(trimmed);
        }

        return null;
    }

    /// <summary>An error at the current line.</summary>
    public MatrixMarketFormatException Error(string problem) => new(Source, LineNumber, problem);

    /// <summary>An error at a given line (0: the whole file).</summary>
    public MatrixMarketFormatException Error(int line, string problem) => new(Source, line, problem);

    /// <summary>Splits a line at whitespace.</summary>
    public static string[] Tokenize(string line) => line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
}
