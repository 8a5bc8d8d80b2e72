namespace CoDesign.Model.Files;

/// <summary>
/// The problem an <see cref="ArgumentException"/> describes, without what the runtime appends to it
/// (" (Parameter 'x')" and, for out-of-range values, "Actual value was ..."), for readers that check
/// a parsed file by constructing the objects it describes and report the constructor's refusal.
/// </summary>
public static class ArgumentMessage
{
    /// <summary>The first line of <paramref name="e"/>'s message, without the parameter name.</summary>
    public static string Text(ArgumentException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        string message = e.Message;
        int lineBreak = message.IndexOfAny(['\r', '\n']);
        if (lineBreak >= 0)
        {
            message = message[..lineBreak];
        }

        string suffix = $" (Parameter '{e.ParamName}')";
        return e.ParamName is not null && message.EndsWith(suffix, StringComparison.Ordinal) ? message[..^suffix.Length] : message;
    }
}
