namespace CoDesign.Hardware;

/// <summary>Finds the Verilog sources: <c>hardware/rtl</c> (modules) and <c>hardware/tb</c> (test benches).</summary>
public static class HardwareSources
{
    /// <summary>The repository's <c>hardware</c> folder, found by walking up from the program to <c>CoDesign.sln</c>, or from <c>CODESIGN_HARDWARE</c>.</summary>
    public static string Root
    {
        get
        {
            if (Environment.GetEnvironmentVariable("CODESIGN_HARDWARE") is { Length: > 0 } configured)
            {
                return configured;
            }

            for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "CoDesign.sln")))
                {
                    return Path.Combine(dir.FullName, "hardware");
                }
            }

            throw new DirectoryNotFoundException($"cannot find the hardware sources: no CoDesign.sln above {AppContext.BaseDirectory}; set CODESIGN_HARDWARE");
        }
    }

    /// <summary>Path of an RTL module file, e.g. <c>Rtl("uart_rx.v")</c>.</summary>
    public static string Rtl(string file) => Existing(Path.Combine(Root, "rtl", file));

    /// <summary>Path of a test bench file, e.g. <c>TestBench("uart_rx_tb.v")</c>.</summary>
    public static string TestBench(string file) => Existing(Path.Combine(Root, "tb", file));

    private static string Existing(string path) => File.Exists(path) ? path : throw new FileNotFoundException($"Verilog source {path} is missing", path);
}
