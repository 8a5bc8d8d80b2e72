using System.Globalization;
using System.Text;

namespace CoDesign.Model.Files;

/// <summary>
/// Puts text taken from an input file into an error message: quoted, cut to a few dozen characters
/// (a 100 MB token must not become a 100 MB message) and with control characters made visible.
/// </summary>
public static class EchoedText
{
    /// <summary>Longest token echoed whole; longer ones keep their start and say their length.</summary>
    public const int MaxEchoedChars = 40;

    /// <summary><paramref name="token"/> in double quotes, e.g. <c>"12x"</c>, or <c>"1234...": 100,000,000 characters</c> when longer than <see cref="MaxEchoedChars"/>.</summary>
    public static string Quote(ReadOnlySpan<char> token)
    {
        bool cut = token.Length > MaxEchoedChars;
        ReadOnlySpan<char> shown = cut ? token[..(MaxEchoedChars - 8)] : token;
        var text = new StringBuilder(MaxEchoedChars + 40).Append('"');
        foreach (char c in shown)
        {
            // A binary file's bytes would otherwise reach the terminal as control codes.
            text.Append(char.IsControl(c) ? '?' : c);
        }

        text.Append(cut ? "...\"" : "\"");
        if (cut)
        {
            text.Append(CultureInfo.InvariantCulture, $" ({token.Length:N0} characters)");
        }

        return text.ToString();
    }
}
