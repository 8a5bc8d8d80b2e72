namespace CoDesign.Cli.Tests;

/// <summary><c>codesign kernel verilog ... --tag</c>: a pipeline gets its tag ports; any other shape is one CDK0201 line and exit 2.</summary>
public class KernelVerilogTagTests
{
    private static readonly string Multiplier = KernelFile("ShiftAddMultiplier.cs");

    [Fact]
    public void A_tagged_pipeline_names_the_option_in_its_header_and_has_the_tag_ports()
    {
        var result = CodesignProcess.Run("kernel", "verilog", Multiplier, "--method", "ShiftAddMultiplier.MultiplyActivation", "--clock-mhz", "60", "--tag");

        Assert.Equal((0, string.Empty), (result.ExitCode, result.Error));
        Assert.Contains("--clock-mhz 60 --tag\n", result.Out.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("input  wire [TAG_BITS-1:0] in_tag,", result.Out, StringComparison.Ordinal);
        Assert.Contains("output wire busy,", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tag_on_combinational_logic_is_one_diagnostic_line_and_exit_2()
    {
        var result = CodesignProcess.Run("kernel", "verilog", Multiplier, "--method", "ShiftAddMultiplier.Recode16", "--tag");

        Assert.Equal(2, result.ExitCode);
        string line = Assert.Single(result.Error.Trim().Split('\n'));
        Assert.Contains(": CDK0201: kernel 'Recode16' cannot take a tag: it compiles to combinational logic, and only a pipeline carries one", line, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Out);
    }

    private static string KernelFile(string name)
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            string candidate = Path.Combine(folder.FullName, "kernels", name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"kernels/{name} not found above {AppContext.BaseDirectory}");
    }
}
