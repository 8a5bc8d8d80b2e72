using Spectre.Console;

namespace CoDesign.Cli;

/// <summary>
/// Chooses how the program writes to the terminal: styles, colours and live progress only when
/// standard output is a terminal and NO_COLOR (https://no-color.org) is not set, so piped output
/// and logs carry plain text.
/// </summary>
internal static class ConsoleSetup
{
    /// <summary>True when output should be plain text.</summary>
    public static bool Plain => Console.IsOutputRedirected || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));

    /// <summary>Replaces Spectre.Console's console with one that follows <see cref="Plain"/>.</summary>
    public static void Configure()
    {
        if (Plain)
        {
            AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Ansi = AnsiSupport.No,
                ColorSystem = ColorSystemSupport.NoColors,
                Interactive = InteractionSupport.No,
                Out = new AnsiConsoleOutput(Console.Out),
            });

            // A pipe has no width; lines cut at 80 columns read badly in logs.
            AnsiConsole.Console.Profile.Width = 160;
        }
    }
}
