namespace CoDesign.Model.MatrixMarket;

/// <summary>A matrix or vector file that cannot be read; the message names the file and the line.</summary>
public sealed class MatrixMarketFormatException : FormatException
{
    /// <summary>Creates the exception for <paramref name="problem"/> at line <paramref name="lineNumber"/> (1-based; 0 when no line applies) of <paramref name="fileName"/>.</summary>
    public MatrixMarketFormatException(string fileName, int lineNumber, string problem)
        : base(lineNumber > 0 ? $"{fileName}:{lineNumber}: {problem}" : $"{fileName}: {problem}")
    {
        FileName = fileName;
        LineNumber = lineNumber;
        Problem = problem;
    }

    /// <summary>The file (or source name) that is malformed.</summary>
    public string FileName { get; }

    /// <summary>The 1-based line where the problem is, or 0 when it concerns the whole file.</summary>
    public int LineNumber { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Problem { get; }
}
