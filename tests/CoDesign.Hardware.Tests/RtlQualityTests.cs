namespace CoDesign.Hardware.Tests;

/// <summary>Every RTL module passes Verilator's lint and synthesizes for the iCE40 with Yosys.</summary>
public class RtlQualityTests
{
    public static TheoryData<string> Modules()
    {
        var data = new TheoryData<string>();
        foreach (string file in HardwareSources.AllRtl())
        {
            data.Add(Path.GetFileNameWithoutExtension(file));
        }

        return data;
    }

    /// <summary>
    /// Modules that instantiate iCE40 primitives (SB_MAC16): Verilator lints them against Yosys's
    /// simulation models of the primitives, with its warnings about the models themselves off.
    /// </summary>
    private static readonly HashSet<string> UsesIce40Cells = new(StringComparer.Ordinal) { "dsp_multiplier", "dsp_product", "dsp_counter", "run_counters" };

    [Theory]
    [MemberData(nameof(Modules))]
    public void LintsCleanWithVerilator(string module) => Lint(module, []);

    /// <summary>Lint of non-default parameter settings that select different logic.</summary>
    [Theory]
    [InlineData("dsp_multiplier", "USE_MAC16=0")]   // the behavioural multiply (no SB_MAC16 at all)
    [InlineData("dsp_multiplier", "TAG_BITS=6")]
    [InlineData("dsp_multiplier", "PRODUCT_LAG=1")]   // the product from the SB_MAC16's output register
    [InlineData("dsp_product", "USE_MAC16=0")]        // the behavioural multiply
    [InlineData("dsp_counter", "USE_MAC16=0")]        // the behavioural counter
    [InlineData("run_counters", "USE_MAC16=1")]       // the counters in SB_MAC16s (the UP5K)
    [InlineData("byte_buffer", "NO_COLLISION=1")]     // no read-during-write bypass
    [InlineData("activation_scan", "QUEUE_DEPTH=2")]  // the UP5K's 2-word scan queue
    [InlineData("pe_array", "FIFO_DEPTH=2")]          // the UP5K's 2-deep broadcast FIFOs
    [InlineData("pe_array", "EBR_DELAYS=1")]          // the PEs' delay lines in block RAM
    [InlineData("pe_array", "COMPILED_PE=1")]         // the PEs built from the compiled kernel (compiled_pe)
    [InlineData("broadcast_fifo", "HEAD_REGISTER=1")]  // the head in a register (compiled_pe's)
    [InlineData("sparse_stream_reader", "CHECK_READS=0")]  // no read check (compiled_pe's)
    [InlineData("weight_memory", "INIT_FILE=\"baked.hex\"")]  // a model baked into the inferred memory
    public void LintsCleanWithVerilatorWithParameters(string module, string parameter) => Lint(module, [$"-G{parameter}"]);

    private static void Lint(string module, IEnumerable<string> extra)
    {
        string rtl = Path.Combine(HardwareSources.Root, "rtl");
        var arguments = new List<string> { "--lint-only", "-Wall", $"-I{rtl}", $"-I{Path.Combine(rtl, "generated")}", "--top-module", module };
        arguments.AddRange(extra);
        using BenchFolder? folder = UsesIce40Cells.Contains(module) ? new BenchFolder("lint") : null;
        if (folder is not null)
        {
            string models = HardwareSources.Ice40CellModels;
            string config = Path.Combine(folder.Path, "ice40_models.vlt");
            File.WriteAllText(config, $"`verilator_config\nlint_off -file \"{models}\"\n");
            // The models carry a `timescale; the project's modules have none (TIMESCALEMOD otherwise).
            arguments.AddRange([config, "-DNO_ICE40_DEFAULT_ASSIGNMENTS", "--timescale", "1ns/1ps", "-v", models]);
        }

        arguments.Add(HardwareSources.Rtl(module + ".v"));
        (int exit, string output) = ExternalTool.Run("verilator", arguments, rtl, TimeSpan.FromMinutes(1));

        Assert.True(exit == 0, output);
    }

    [Theory]
    [MemberData(nameof(Modules))]
    public void SynthesizesForIce40WithYosys(string module)
    {
        string rtl = Path.Combine(HardwareSources.Root, "rtl");
        string sources = string.Join(' ', HardwareSources.AllRtl().Select(f => $"\"{f}\""));
        (int exit, string output) = ExternalTool.Run(
            "yosys", ["-q", "-p", $"read_verilog -defer -I{Path.Combine(rtl, "generated")} {sources}; hierarchy -top {module}; synth_ice40 -top {module}; check -assert"], rtl, TimeSpan.FromMinutes(3));

        Assert.True(exit == 0, output);
    }
}
