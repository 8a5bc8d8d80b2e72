namespace CoDesign.Hardware;

/// <summary>Finds the Verilog sources: <c>hardware/rtl</c> (modules) and <c>hardware/tb</c> (test benches).</summary>
public static class HardwareSources
{
    /// <summary>
    /// The <c>hardware</c> folder: <c>CODESIGN_HARDWARE</c> when set; else the one shipped beside the
    /// program (an installed .NET tool carries the RTL); else the repository's, found by walking up
    /// from the program to <c>CoDesign.sln</c>.
    /// </summary>
    public static string Root
    {
        get
        {
            if (Environment.GetEnvironmentVariable("CODESIGN_HARDWARE") is { Length: > 0 } configured)
            {
                return configured;
            }

            string shipped = Path.Combine(AppContext.BaseDirectory, "hardware");
            if (Directory.Exists(Path.Combine(shipped, "rtl")))
            {
                return shipped;
            }

            for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "CoDesign.sln")))
                {
                    return Path.Combine(dir.FullName, "hardware");
                }
            }

            throw new DirectoryNotFoundException($"cannot find the hardware sources: no hardware/rtl beside the program and no CoDesign.sln above {AppContext.BaseDirectory}; set CODESIGN_HARDWARE");
        }
    }

    /// <summary>
    /// Path of an RTL module file, e.g. <c>Rtl("uart_rx.v")</c>: written by hand in hardware/rtl, or
    /// compiled from kernels/ into hardware/rtl/generated.
    /// </summary>
    public static string Rtl(string file)
    {
        string generated = Path.Combine(Root, "rtl", "generated", file);
        return File.Exists(generated) ? generated : Existing(Path.Combine(Root, "rtl", file));
    }

    /// <summary>Every module file of the accelerator: hardware/rtl and hardware/rtl/generated, in name order.</summary>
    public static string[] AllRtl() =>
        [.. Directory.GetFiles(Path.Combine(Root, "rtl"), "*.v").Concat(Directory.GetFiles(Path.Combine(Root, "rtl", "generated"), "*.v"))
            .OrderBy(Path.GetFileName, StringComparer.Ordinal)];

    /// <summary>Path of a board's top level, e.g. <c>BoardTop("icebreaker")</c>: <c>hardware/boards/icebreaker.v</c>.</summary>
    public static string BoardTop(string module) => Existing(Path.Combine(Root, "boards", module + ".v"));

    /// <summary>Path of a simulation model in <c>hardware/sim</c>, e.g. <c>Simulation("spi_flash_model.v")</c>: parts of a board beside the FPGA.</summary>
    public static string Simulation(string file) => Existing(Path.Combine(Root, "sim", file));

    /// <summary>Path of a test bench file, e.g. <c>TestBench("uart_rx_tb.v")</c>.</summary>
    public static string TestBench(string file) => Existing(Path.Combine(Root, "tb", file));

    /// <summary>
    /// Yosys's simulation models of the iCE40 primitives (<c>share/yosys/ice40/cells_sim.v</c>: SB_MAC16 and
    /// the others), for simulating and linting modules that instantiate them, e.g. <c>dsp_multiplier</c>.
    /// Looked for beside the <c>yosys</c> on the PATH (as Yosys finds its own data), then in
    /// <c>/usr/share</c> and <c>/usr/local/share</c>. Compile it after the other sources with
    /// <c>NO_ICE40_DEFAULT_ASSIGNMENTS</c> defined: otherwise its ports get SystemVerilog default values,
    /// which <c>iverilog -g2005</c> and Verilator reject.
    /// </summary>
    public static string Ice40CellModels
    {
        get
        {
            const string relative = "share/yosys/ice40/cells_sim.v";
            var candidates = new List<string>();
            foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                if (File.Exists(Path.Combine(dir, "yosys")))
                {
                    candidates.Add(Path.GetFullPath(Path.Combine(dir, "..", relative)));
                }
            }

            candidates.Add(Path.Combine("/usr", relative));
            candidates.Add(Path.Combine("/usr/local", relative));
            return candidates.FirstOrDefault(File.Exists)
                ?? throw new FileNotFoundException($"Yosys's iCE40 cell models are missing (looked in {string.Join(", ", candidates)}); install Yosys with ./setup.sh");
        }
    }

    /// <summary><paramref name="path"/> when the file exists; else throws <see cref="FileNotFoundException"/> naming it.</summary>
    internal static string Existing(string path) => File.Exists(path) ? path : throw new FileNotFoundException($"hardware source {path} is missing", path);
}
