using System.Diagnostics;

namespace CoDesign.Hardware;

/// <summary>Runs the hardware flow's command-line tools (iverilog, vvp, verilator, yosys, openFPGALoader).</summary>
public static class ExternalTool
{
    /// <summary>Runs a tool, returning its exit code and its standard output and error together.</summary>
    public static (int ExitCode, string Output) Run(string tool, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(tool)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"cannot run {tool}: {e.Message}. Install it with ./setup.sh (Debian packages)", e);
        }

        using (process)
        {
            Task<string> output = process.StandardOutput.ReadToEndAsync();
            Task<string> error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{tool} did not finish within {timeout.TotalSeconds:0} s");
            }

            return (process.ExitCode, output.Result + error.Result);
        }
    }

    /// <summary>Runs a tool as <see cref="Run"/> does and returns its output; throws <see cref="InvalidOperationException"/> with that output when it exits with an error.</summary>
    /// <param name="tool">The program to run.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="workingDirectory">Where it runs.</param>
    /// <param name="timeout">How long it may take.</param>
    /// <param name="name">What the error calls it, when not <paramref name="tool"/> (a tool run through a shell).</param>
    public static string RunChecked(string tool, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout, string? name = null)
    {
        (int exit, string output) = Run(tool, arguments, workingDirectory, timeout);
        return exit == 0 ? output : throw new InvalidOperationException($"{name ?? tool} failed (exit {exit}):\n{output}");
    }
}
