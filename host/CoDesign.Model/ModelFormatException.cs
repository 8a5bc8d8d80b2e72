namespace CoDesign.Model;

/// <summary>A model file that cannot be read: truncated, corrupted, of another version, or inconsistent.</summary>
public sealed class ModelFormatException : Exception
{
    /// <summary>Creates the exception with a message that says what is wrong and where.</summary>
    public ModelFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception wrapping the error that revealed the problem.</summary>
    public ModelFormatException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Reads a whole model-like file; an I/O failure becomes a <see cref="ModelFormatException"/> naming the file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="what">What the file is, for the message ("model file", "checkpoint").</param>
    public static byte[] ReadAllBytes(string path, string what)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFormatException($"{path}: cannot read the {what}: {e.Message}", e);
        }
    }
}
