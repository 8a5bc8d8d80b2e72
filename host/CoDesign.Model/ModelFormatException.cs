using CoDesign.Model.Files;

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

    /// <summary>The size limit <see cref="ReadAllBytes(string, string)"/> applies: 256 MiB, far beyond any model this stack builds.</summary>
    public const long DefaultMaxFileBytes = 256L << 20;

    /// <summary>Reads a whole model-like file of at most <see cref="DefaultMaxFileBytes"/>; see <see cref="ReadAllBytes(string, string, long)"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="what">What the file is, for the message ("model file", "checkpoint").</param>
    public static byte[] ReadAllBytes(string path, string what) => ReadAllBytes(path, what, DefaultMaxFileBytes);

    /// <summary>
    /// Reads a whole model-like file. A path that is not a regular file (a folder, a device, a pipe),
    /// an empty file, a file larger than <paramref name="maxBytes"/> and an I/O failure each become a
    /// <see cref="ModelFormatException"/> naming the file, raised before the file is read.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="what">What the file is, for the message ("model file", "checkpoint").</param>
    /// <param name="maxBytes">The largest file accepted.</param>
    public static byte[] ReadAllBytes(string path, string what, long maxBytes) =>
        InputFile.ReadAllBytes(path, what, maxBytes, problem => new ModelFormatException($"{path}: {problem}"));
}
