using System.Text.RegularExpressions;
using CoDesign.Model.Files;

namespace CoDesign.Cli;

/// <summary>Keeps an error line one readable line whatever the user passed: a very long word (a pasted blob, a runaway argument) is cut.</summary>
internal static partial class MessageText
{
    /// <summary>
    /// <paramref name="message"/> with line breaks made spaces and every word over 120 characters cut
    /// as the readers cut echoed tokens (<see cref="EchoedText.Quote"/>: its start and its length).
    /// </summary>
    public static string Shorten(string message) =>
        LongWord().Replace(message.ReplaceLineEndings(" "), match => EchoedText.Quote(match.Value));

    [GeneratedRegex(@"\S{121,}")]
    private static partial Regex LongWord();
}
