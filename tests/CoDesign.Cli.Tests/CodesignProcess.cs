using System.Diagnostics;

namespace CoDesign.Cli.Tests;

/// <summary>Runs the built `codesign` program in a child process, as a user would.</summary>
internal static class CodesignProcess
{
    public static (int ExitCode, string Out, string Error) Run(params string[] args) => Run(true, args);

    /// <summary>Runs codesign with its output piped and NO_COLOR unset, as in a script or a log.</summary>
    public static (int ExitCode, string Out, string Error) RunPiped(params string[] args) => Run(false, args);

    /// <summary>Starts codesign (NO_COLOR set) and returns at once, for a command that runs until stopped.</summary>
    public static Process Start(params string[] args) => Process.Start(StartInfo(true, args))!;

    private static (int ExitCode, string Out, string Error) Run(bool noColor, string[] args)
    {
        using Process process = Process.Start(StartInfo(noColor, args))!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"codesign {string.Join(' ', args)} did not finish in 3 minutes");
        }

        return (process.ExitCode, output.Result, error.Result);
    }

    private static ProcessStartInfo StartInfo(bool noColor, string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "codesign.dll"));
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        if (noColor)
        {
            start.Environment["NO_COLOR"] = "1";
        }
        else
        {
            start.Environment.Remove("NO_COLOR");
            start.Environment["TERM"] = "xterm-256color";
        }

        return start;
    }

    public static string TempFile(string name, string contents)
    {
        string directory = Path.Combine(Path.GetTempPath(), "codesign-cli-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, name);
        File.WriteAllText(path, contents);
        return path;
    }

    public static string ShippedModel => Path.Combine(AppContext.BaseDirectory, "models", "fashion-mnist-mlp.cdsm");
}
