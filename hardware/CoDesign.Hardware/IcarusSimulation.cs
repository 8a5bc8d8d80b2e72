namespace CoDesign.Hardware;

/// <summary>
/// Compiles Verilog with Icarus Verilog (<c>iverilog -g2005</c>) and runs it with <c>vvp</c> in a
/// working folder, so a test bench can read vector files written there and print its results.
/// </summary>
public static class IcarusSimulation
{
    /// <summary>
    /// Compiles <paramref name="sources"/> with <paramref name="top"/> as the root module, applies
    /// <paramref name="parameters"/> to it (<c>-P top.NAME=value</c>), runs it in
    /// <paramref name="workingDirectory"/> and returns its standard output. Throws
    /// <see cref="InvalidOperationException"/> with the tool's messages when compiling or running fails,
    /// and when the bench printed a line starting with <c>FAIL</c>.
    /// </summary>
    public static string Run(string top, IEnumerable<string> sources, string workingDirectory, IReadOnlyDictionary<string, string>? parameters = null, TimeSpan? timeout = null)
    {
        Directory.CreateDirectory(workingDirectory);
        string binary = Path.Combine(workingDirectory, top + ".vvp");
        var compile = new List<string> { "-g2005", "-Wall", "-Wno-timescale", "-s", top, "-o", binary };
        foreach ((string name, string value) in parameters ?? new Dictionary<string, string>())
        {
            compile.Add($"-P{top}.{name}={value}");
        }

        // `include files live in a source folder's generated/ subfolder (hardware/rtl/generated).
        List<string> sourceList = [.. sources];
        foreach (string folder in sourceList.Select(Path.GetDirectoryName).OfType<string>().Select(d => Path.Combine(d, "generated")).Distinct(StringComparer.Ordinal).Where(Directory.Exists))
        {
            compile.Add($"-I{folder}");
        }

        compile.AddRange(sourceList);
        (int compiled, string compileOut) = ExternalTool.Run("iverilog", compile, workingDirectory, TimeSpan.FromMinutes(2));
        if (compiled != 0)
        {
            throw new InvalidOperationException($"iverilog failed for {top}:\n{compileOut}");
        }

        (int ran, string output) = ExternalTool.Run("vvp", ["-n", binary], workingDirectory, timeout ?? TimeSpan.FromMinutes(5));
        if (ran != 0 || output.Split('\n').Any(l => l.StartsWith("FAIL", StringComparison.Ordinal)))
        {
            throw new InvalidOperationException($"simulation of {top} failed (exit {ran}):\n{output}");
        }

        return output;
    }
}
