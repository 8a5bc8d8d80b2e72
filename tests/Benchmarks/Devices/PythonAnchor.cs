using System.Diagnostics;
using System.Globalization;

namespace CoDesign.Benchmarks.Devices;

/// <summary>
/// An anchor measured by a python3 script in a subprocess (Debian's python3-torch and python3-scipy, or
/// PyTorch and CuPy on a GPU machine); it prints <c>key=value</c> lines.
/// </summary>
internal static class PythonAnchor
{
    /// <summary>
    /// The first of <paramref name="candidates"/> (python3 on the PATH and Debian's /usr/bin/python3 by
    /// default) that imports numpy and every module of <paramref name="modules"/>; null when none does.
    /// </summary>
    public static string? Find(string modules, params string[] candidates)
    {
        foreach (string candidate in candidates.Length == 0 ? ["python3", "/usr/bin/python3"] : candidates)
        {
            if (Imports(candidate, "numpy") && Imports(candidate, modules))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="python"/> runs and imports <paramref name="modules"/> (comma-separated).</summary>
    public static bool Imports(string python, string modules)
    {
        try
        {
            using Process? probe = Process.Start(new ProcessStartInfo(python, ["-c", $"import {modules}"]) { RedirectStandardError = true });
            return probe is not null && probe.WaitForExit(120_000) && probe.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    /// <summary>Runs the script text <paramref name="script"/>; its <c>key=value</c> lines, or null (its error shown) when it failed.</summary>
    public static Dictionary<string, string>? RunText(string python, string script, params string[] args)
    {
        string file = Path.Combine(Path.GetTempPath(), $"codesign-anchor-{Guid.NewGuid():N}.py");
        File.WriteAllText(file, script);
        try
        {
            return RunFile(python, file, args);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Runs the script file <paramref name="file"/>; its <c>key=value</c> lines, or null (its error shown) when it failed.</summary>
    public static Dictionary<string, string>? RunFile(string python, string file, params string[] args)
    {
        using Process process = Process.Start(new ProcessStartInfo(python, [file, .. args]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            Console.WriteLine($"  anchor failed ({python} {Path.GetFileName(file)}, exit {process.ExitCode}): {error.Result.Trim().Split('\n').LastOrDefault()}");
            return null;
        }

        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('=', 2))
            .Where(kv => kv.Length == 2)
            .ToDictionary(kv => kv[0].Trim(), kv => kv[1].Trim());
    }

    /// <summary>A number an anchor printed.</summary>
    public static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);
}
