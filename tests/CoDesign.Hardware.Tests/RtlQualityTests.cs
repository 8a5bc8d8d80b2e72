namespace CoDesign.Hardware.Tests;

/// <summary>Every RTL module passes Verilator's lint and synthesizes for the iCE40 with Yosys.</summary>
public class RtlQualityTests
{
    public static TheoryData<string> Modules()
    {
        var data = new TheoryData<string>();
        foreach (string file in Directory.GetFiles(Path.Combine(HardwareSources.Root, "rtl"), "*.v").OrderBy(f => f, StringComparer.Ordinal))
        {
            data.Add(Path.GetFileNameWithoutExtension(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Modules))]
    public void LintsCleanWithVerilator(string module)
    {
        string rtl = Path.Combine(HardwareSources.Root, "rtl");
        (int exit, string output) = ExternalTool.Run(
            "verilator", ["--lint-only", "-Wall", $"-I{rtl}", "--top-module", module, Path.Combine(rtl, module + ".v")], rtl, TimeSpan.FromMinutes(1));

        Assert.True(exit == 0, output);
    }

    [Theory]
    [MemberData(nameof(Modules))]
    public void SynthesizesForIce40WithYosys(string module)
    {
        string rtl = Path.Combine(HardwareSources.Root, "rtl");
        string sources = string.Join(' ', Directory.GetFiles(rtl, "*.v").Select(f => $"\"{f}\""));
        (int exit, string output) = ExternalTool.Run(
            "yosys", ["-q", "-p", $"read_verilog -defer {sources}; hierarchy -top {module}; synth_ice40 -top {module}; check -assert"], rtl, TimeSpan.FromMinutes(3));

        Assert.True(exit == 0, output);
    }
}
