using System.Globalization;
using System.Text.Json;

namespace CoDesign.Hardware.Tests.Compute;

/// <summary>What <c>synth_ice40</c> makes of one module: its cells by type, for tests that hold a module to its mapping.</summary>
internal static class Ice40Cells
{
    /// <summary>Cells of <c>synth_ice40</c> on <paramref name="module"/> (hardware/rtl/<paramref name="module"/>.v alone) with <paramref name="parameters"/> set, by type.</summary>
    public static Dictionary<string, int> Synthesize(string module, IReadOnlyDictionary<string, int> parameters, bool dsp)
    {
        using var folder = new BenchFolder("ice40-cells");
        string rtl = HardwareSources.Rtl(module + ".v");
        string chparam = parameters.Count == 0
            ? ""
            : "chparam " + string.Join(" ", parameters.Select(p => string.Create(CultureInfo.InvariantCulture, $"-set {p.Key} {p.Value}"))) + $" {module}; ";
        string script = $"read_verilog -defer \"{rtl}\"; {chparam}hierarchy -top {module}; "
            + $"synth_ice40 {(dsp ? "-dsp " : "")}-top {module}; check -assert; tee -q -o stat.json stat -json";
        // Runs in the folder: the statistics go to stat.json there (tee -o takes no quoted path).
        (int exit, string log) = ExternalTool.Run("yosys", ["-q", "-p", script], folder.Path, TimeSpan.FromMinutes(3));
        Assert.True(exit == 0, $"yosys exited with {exit}:\n{log}");

        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder.Path, "stat.json")));
        return json.RootElement.GetProperty("design").GetProperty("num_cells_by_type").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.GetInt32(), StringComparer.Ordinal);
    }

    /// <summary>The flip-flops among <paramref name="cells"/>, of every SB_DFF kind.</summary>
    public static int FlipFlops(Dictionary<string, int> cells) =>
        cells.Where(c => c.Key.StartsWith("SB_DFF", StringComparison.Ordinal)).Sum(c => c.Value);

    /// <summary>The cells as one line, for a test's output.</summary>
    public static string Describe(Dictionary<string, int> cells) =>
        string.Join(", ", cells.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key} {c.Value}")));
}
