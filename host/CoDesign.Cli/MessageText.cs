using System.Text.RegularExpressions;

namespace CoDesign.Cli;

/// <summary>Keeps an error line one readable line whatever the user passed: a very long word (a pasted blob, a runaway argument) is cut.</summary>
internal static partial class MessageText
{
    private const int Kept = 40;

    /// <summary><paramref name="message"/> with every word over 120 characters cut to its first 40 and its length, and line breaks made spaces.</summary>
    public static string Shorten(string message) =>
        LongWord().Replace(message.ReplaceLineEndings(" "), match => $"{match.Value[..Kept]}...({match.Length:N0} characters)");

    [GeneratedRegex(@"\S{121,}")]
    private static partial Regex LongWord();
}
