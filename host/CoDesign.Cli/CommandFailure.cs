using CoDesign.Model;
using CoDesign.Runtime.Deploy;
using CoDesign.Runtime.Link;
using Spectre.Console;

namespace CoDesign.Cli;

/// <summary>Runs a command body and turns the errors a user can cause into one clear line and an exit code.</summary>
internal static class CommandFailure
{
    /// <summary>Exit code for bad input: files, options, data.</summary>
    public const int BadInput = 2;

    /// <summary>Exit code for a device that failed or refused.</summary>
    public const int DeviceFailed = 3;

    /// <summary>Exit code for results that disagree with the reference.</summary>
    public const int Mismatch = 4;

    public static int Guard(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception thrown)
        {
            // Work spread over threads (one per model) arrives wrapped; report what went wrong.
            Exception e = thrown is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0] : thrown;
            switch (e)
            {
                case ModelFormatException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException or ArgumentException or FormatException:
                    return Report(e.Message, BadInput);
                case DeviceTimeoutException or DeviceErrorException or DeployRefusedException or InvalidOperationException or IOException:
                    return Report(e.Message, DeviceFailed);
                default:
                    throw;
            }
        }
    }

    private static int Report(string message, int code)
    {
        AnsiConsole.Console.Profile.Out.Writer.Flush();
        Console.Error.WriteLine($"error: {message}");
        return code;
    }
}
