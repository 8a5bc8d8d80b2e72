namespace CoDesign.KernelCompiler.Execution;

/// <summary>
/// Puts a token the user typed into an error message: quoted, cut when long (a megabyte argument must
/// not become a megabyte message) and with control characters made visible.
/// </summary>
internal static class EchoedValue
{
    private const int MaxChars = 40;

    /// <summary><paramref name="token"/> in single quotes, its start only when longer than 40 characters.</summary>
    public static string Quote(string token) => "'" + Cut(token) + "'";

    /// <summary><paramref name="token"/> as is, its start and <c>...</c> when longer than 40 characters.</summary>
    public static string Cut(string token)
    {
        bool cut = token.Length > MaxChars;
        string shown = cut ? token[..(MaxChars - 8)] : token;
        var text = new System.Text.StringBuilder(shown.Length + 3);
        foreach (char c in shown)
        {
            text.Append(char.IsControl(c) ? '?' : c);
        }

        return cut ? text.Append("...").ToString() : text.ToString();
    }
}
