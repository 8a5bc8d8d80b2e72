namespace CoDesign.Model.Tests.Fuzzing;

/// <summary>What every error message a user can see must satisfy: one short line in the project's own words.</summary>
public static class ErrorMessageRules
{
    /// <summary>The longest message a reader may produce for a small input with a short source name.</summary>
    public const int MaxLength = 300;

    // Phrases that only the runtime writes: a message containing one leaked a .NET exception.
    private static readonly string[] RuntimeWording =
    [
        "(Parameter", "Actual value was", "System.", "Exception", "must be a non-negative value", "Index was outside",
        "Arithmetic operation", "Object reference", "Specified argument", "Value cannot be", "Unable to",
    ];

    /// <summary>The problem with <paramref name="message"/>, or null when it follows the rules.</summary>
    public static string? Problem(string message)
    {
        if (message.Length > MaxLength)
        {
            return $"{message.Length} characters, more than {MaxLength}";
        }

        if (message.Any(char.IsControl))
        {
            return "it holds a line break or another control character";
        }

        string? leaked = RuntimeWording.FirstOrDefault(w => message.Contains(w, StringComparison.Ordinal));
        return leaked is null ? null : $"it contains the runtime's wording \"{leaked}\"";
    }

    /// <summary>Fails the test when <paramref name="message"/> breaks a rule.</summary>
    public static void AssertFollowed(string message)
    {
        string? problem = Problem(message);
        Assert.True(problem is null, $"message \"{message[..Math.Min(message.Length, 400)]}\": {problem}");
    }
}
