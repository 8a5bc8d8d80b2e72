using System.Diagnostics;

namespace CoDesign.Cli.Tests;

/// <summary>Runs the built `codesign` program in a child process, as a user would.</summary>
internal static class CodesignProcess
{
    public static (int ExitCode, string Out, string Error) Run(params string[] args)
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

        start.Environment["NO_COLOR"] = "1";
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"codesign {string.Join(' ', args)} did not finish in 3 minutes");
        }

        return (process.ExitCode, output.Result, error.Result);
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
