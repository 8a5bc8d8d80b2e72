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
}
