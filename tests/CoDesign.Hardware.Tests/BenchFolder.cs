namespace CoDesign.Hardware.Tests;

/// <summary>A fresh temporary folder for one bench run: vector files go in, the bench runs there; removed afterwards.</summary>
internal sealed class BenchFolder : IDisposable
{
    public BenchFolder(string name)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"codesign-{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
    }

    /// <summary>
    /// Compiles and runs the bench <paramref name="top"/> (hardware/tb/top.v) with the RTL files
    /// <paramref name="rtl"/> in this folder; returns its output lines. <paramref name="libraries"/>
    /// (full paths, e.g. <see cref="HardwareSources.Ice40CellModels"/>) are compiled after the bench.
    /// The harness throws when the bench printed a FAIL line; this asserts that it reached its DONE line.
    /// </summary>
    public List<string> Run(string top, IEnumerable<string> rtl, IReadOnlyDictionary<string, string>? parameters = null, IEnumerable<string>? libraries = null)
    {
        var sources = rtl.Select(HardwareSources.Rtl).Append(HardwareSources.TestBench(top + ".v")).Concat(libraries ?? []).ToList();
        string output = IcarusSimulation.Run(top, sources, Path, parameters, TimeSpan.FromMinutes(2));
        List<string> lines = [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        Assert.True(lines.Any(l => l.StartsWith("DONE", StringComparison.Ordinal)), $"{top} did not finish:\n{output}");
        return lines;
    }
}
