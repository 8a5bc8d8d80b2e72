using System.CommandLine;
using System.Text.RegularExpressions;

namespace CoDesign.Cli;

/// <summary>
/// Reports a command line that does not parse: one <c>error:</c> line in plain words and a pointer to
/// the command's help, exit code 2, instead of the whole help text.
/// </summary>
internal static partial class UsageError
{
    /// <summary>Writes the first parse error of <paramref name="parse"/> and returns the exit code for bad input.</summary>
    public static int Report(ParseResult parse)
    {
        string message = MessageText.Shorten(Plain(parse.Errors[0].Message));
        var path = new List<string>();
        for (Command? command = parse.CommandResult.Command; command is not null; command = command.Parents.OfType<Command>().FirstOrDefault())
        {
            path.Insert(0, command is RootCommand ? "codesign" : command.Name);
        }

        Console.Error.WriteLine($"error: {message.TrimEnd('.')}; see {string.Join(' ', path)} --help");
        return CommandFailure.BadInput;
    }

    /// <summary>The parser's message without .NET type names.</summary>
    internal static string Plain(string message) => TypeName().Replace(message, match => match.Groups[1].Value switch
    {
        "System.Int32" or "System.Int64" or "System.Nullable`1[System.Int32]" => "a whole number",
        "System.Double" or "System.Single" => "a number",
        "System.Boolean" => "true or false",
        _ => "a value of the right kind",
    });

    [GeneratedRegex(@"expected type '([^']+)'")]
    private static partial Regex TypeName();
}
