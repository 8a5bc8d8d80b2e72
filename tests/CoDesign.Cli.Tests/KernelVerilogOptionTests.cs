namespace CoDesign.Cli.Tests;

/// <summary>
/// <c>codesign kernel verilog ... --tag</c>: a pipeline gets its tag ports; any other shape is one CDK0201
/// line and exit 2. <c>--stall</c>: a state machine or pipeline gets a stall input, and <c>kernel run
/// --backend rtl --stall</c> gives the same results in the same cycles counted with stall low; combinational
/// logic is one CDK0202 line and exit 2.
/// </summary>
public class KernelVerilogOptionTests
{
    private static readonly string Multiplier = KernelFiles.Path("ShiftAddMultiplier.cs");
    private static readonly string Crc = KernelFiles.Path("Crc32.cs");

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

    [Fact]
    public void A_stalled_state_machine_names_the_option_in_its_header_and_has_the_stall_input()
    {
        var result = CodesignProcess.Run("kernel", "verilog", Crc, "--method", "Crc32.Update", "--stall");

        Assert.Equal((0, string.Empty), (result.ExitCode, result.Error));
        Assert.Contains("--method Crc32.Update --stall\n", result.Out.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("input  wire stall,", result.Out, StringComparison.Ordinal);
    }

    /// <summary>
    /// A stalled run gives the plain run's results, and its cycles counted with stall low are the plain
    /// run's plus one: a module with a stall input starts its loop the cycle after start, where the
    /// plain one starts it in the start cycle.
    /// </summary>
    [Fact]
    public void A_stalled_run_gives_the_same_lines_as_a_plain_one()
    {
        string[] call = ["kernel", "run", Crc, "--method", "Crc32.Update", "--arg", "crc=4294967295", "--arg", "data=49,50,51,52,53,54,55,56,57"];
        var cpu = CodesignProcess.Run(call);
        var plain = CodesignProcess.Run([.. call, "--backend", "rtl"]);
        var stalled = CodesignProcess.Run([.. call, "--backend", "rtl", "--stall"]);

        Assert.Equal((0, string.Empty), (plain.ExitCode, plain.Error));
        Assert.Equal((0, string.Empty), (stalled.ExitCode, stalled.Error));
        Assert.StartsWith(cpu.Out, plain.Out, StringComparison.Ordinal);
        Assert.StartsWith(cpu.Out, stalled.Out, StringComparison.Ordinal);
        Assert.Equal(Cycles(plain.Out) + 1, Cycles(stalled.Out));
    }

    private static long Cycles(string output) =>
        long.Parse(output.ReplaceLineEndings("\n").Split('\n').Single(l => l.StartsWith("cycles = ", StringComparison.Ordinal))["cycles = ".Length..], System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void A_stall_without_the_rtl_backend_is_one_error_line_and_exit_2()
    {
        var result = CodesignProcess.Run("kernel", "run", Crc, "--method", "Crc32.Update", "--arg", "crc=1", "--arg", "data=1", "--stall");

        Assert.Equal((2, "error: --stall needs --backend rtl (only the compiled module has a stall input)"), (result.ExitCode, result.Error.Trim()));
    }

    [Fact]
    public void A_stall_on_combinational_logic_is_one_diagnostic_line_and_exit_2()
    {
        var result = CodesignProcess.Run("kernel", "verilog", Multiplier, "--method", "ShiftAddMultiplier.Recode16", "--stall");

        Assert.Equal(2, result.ExitCode);
        string line = Assert.Single(result.Error.Trim().Split('\n'));
        Assert.Contains(": CDK0202: kernel 'Recode16' cannot take a stall input: it compiles to combinational logic", line, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Out);
    }
}
