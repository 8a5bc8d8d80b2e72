using CoDesign.Model;
using CoDesign.Model.Files;
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

    /// <summary>Exit code for a failure that is the program's fault (a bug), as sysexits' EX_SOFTWARE.</summary>
    public const int InternalError = 70;

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
            return e switch
            {
                ModelFormatException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException or ArgumentException or FormatException or UnauthorizedAccessException or PathTooLongException
                    => Report(Plain(e), BadInput),
                DeviceTimeoutException or DeviceErrorException or DeployRefusedException or InvalidOperationException or IOException or NotSupportedException
                    => Report(Plain(e), DeviceFailed),
                OutOfMemoryException => Report("out of memory; the input is larger than this machine can hold", BadInput),
                _ => ReportBug(e),
            };
        }
    }

    /// <summary>An exception's message without the runtime's additions ("(Parameter 'x')", "Actual value was ..."), on one line.</summary>
    internal static string Plain(Exception e) => MessageText.Shorten(e is ArgumentException argument ? ArgumentMessage.Text(argument) : e.Message);

    private static int Report(string message, int code)
    {
        AnsiConsole.Console.Profile.Out.Writer.Flush();
        Console.Error.WriteLine($"error: {message}");
        return code;
    }

    // Still one line for the user; the trace only on request, for a bug report.
    private static int ReportBug(Exception e)
    {
        Report($"internal error: {Plain(e)} (this is a bug in codesign; set CODESIGN_TRACE=1 for the details to report)", InternalError);
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CODESIGN_TRACE")))
        {
            Console.Error.WriteLine(e);
        }

        return InternalError;
    }
}
