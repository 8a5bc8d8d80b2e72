using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace CoDesign.Hardware;

/// <summary>
/// Builds a design (<see cref="RtlBuild"/>: the accelerator's top level, a board's top, a gate-level
/// netlist) with Verilator into a simulator whose UART pins are bridged to its standard input and
/// output (<c>hardware/sim/uart_bridge.cpp</c>), and starts it. The build is
/// cached under <c>~/.cache/codesign/verilator/&lt;hash of sources and settings&gt;</c>, so only a
/// change to the RTL rebuilds it. A build can start with bytes baked into its weight memory
/// (<c>weight_memory</c>'s <c>INIT_FILE</c>, as <c>build-bitstream.sh --model</c> does for a board);
/// each baked content is a build and a cache entry of its own.
/// </summary>
public static class VerilatorSimulation
{
    /// <summary>UART bit period in clock cycles inside the simulation: short, so simulation is fast.</summary>
    public const int SimulatedClocksPerBit = 4;

    /// <summary>
    /// The profile the simulated top reports in its Hello reply (<c>accelerator_top</c>'s defaults:
    /// 128 KiB of weight memory, 4 PEs, 1 KiB frames, compressed payloads decoded, column blocks in 2 KiB of scratch), for compiling a model before the simulator runs,
    /// e.g. to bake it in.
    /// </summary>
    public static Runtime.DeviceProfile Profile { get; } = new("rtl-sim", 4, 32, 128 * 1024, 2048, 1024, 12_000_000, 3_000_000, Runtime.CycleSource.Hardware, Runtime.Link.LinkCapabilities.ZeroRunCodec, Runtime.Devices.EngineFeatures.ColumnBlocks, ModelSlots: 4);

    // Tests start simulators from several threads: one build at a time in this process, and a
    // staging folder per build so that other processes building at once never share one.
    private static readonly Lock BuildGate = new();

    /// <summary>
    /// Builds (or finds) the simulator binary and returns its path. With <paramref name="bakedWeights"/>
    /// its weight memory starts with those bytes from address 0, as a board built with a model does.
    /// </summary>
    /// <param name="bakedWeights">Bytes the weight memory starts with, or null for zeros.</param>
    /// <param name="build">The design; <see cref="RtlBuild.Default"/> when null.</param>
    /// <param name="traced">Whether the simulator can write a waveform (Verilator <c>--trace</c>: a build of its own, and slower).</param>
    public static string Build(byte[]? bakedWeights = null, RtlBuild? build = null, bool traced = false)
    {
        build ??= RtlBuild.Default;
        lock (BuildGate)
        {
            return BuildOnce(bakedWeights, build, traced);
        }
    }

    private static string BuildOnce(byte[]? bakedWeights, RtlBuild build, bool traced)
    {
        string rtl = Path.Combine(HardwareSources.Root, "rtl");
        string bridge = Path.Combine(HardwareSources.Root, "sim", "uart_bridge.cpp");
        // Include files (generated from C#, e.g. the link protocol's constants) are part of the build's identity.
        string generated = Path.Combine(rtl, "generated");
        string[] includes = Directory.Exists(generated) ? [.. Directory.GetFiles(generated, "*.vh").OrderBy(f => f, StringComparer.Ordinal)] : [];
        string[] settings = ["--top-module", build.TopModule, "--prefix", BinaryName, $"-I{generated}", .. build.Parameters, "-CFLAGS", $"-O2 -DCLKS_PER_BIT={SimulatedClocksPerBit}"];
        if (build.UsesIce40Cells)
        {
            // The cell models' ports otherwise get SystemVerilog defaults; they carry a `timescale and the RTL has none.
            settings = [.. settings, "-DNO_ICE40_DEFAULT_ASSIGNMENTS", "--timescale", "1ns/1ps"];
        }

        if (traced)
        {
            settings = [.. settings, "--trace"];
        }

        if (bakedWeights is not null)
        {
            // The simulator reads the file when it starts, so it lives in the cache, named by its content.
            settings = [.. settings, $"-DWEIGHT_MEMORY_INIT_FILE=\"{BakedWeightsFile(bakedWeights)}\""];
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (string file in build.Sources.Concat(build.Libraries).Concat(includes).Append(bridge).Append(build.Pins))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(Path.GetFileName(file)));
            hash.AppendData(File.ReadAllBytes(file));
        }

        hash.AppendData(Encoding.UTF8.GetBytes(string.Join(' ', settings)));
        string key = Convert.ToHexString(hash.GetHashAndReset())[..16].ToLowerInvariant();
        string cache = Path.Combine(CacheRoot, key);
        string binary = Path.Combine(cache, BinaryName);
        if (File.Exists(binary))
        {
            return binary;
        }

        string staging = $"{cache}.build-{Guid.NewGuid():N}";
        Directory.CreateDirectory(staging);
        // The bridge includes its top's pin map by this name; the build folder is on its include path.
        File.Copy(build.Pins, Path.Combine(staging, "bridge_pins.h"));
        var arguments = new List<string> { "--cc", "--exe", "--build", "-O2", "-Wno-fatal", "-j", "2", "-Mdir", staging, "-o", BinaryName };
        arguments.AddRange(settings);
        arguments.AddRange(build.Sources);
        foreach (string library in build.Libraries)
        {
            arguments.AddRange(["-v", library]);
        }

        arguments.Add(bridge);
        (int exit, string output) = ExternalTool.Run("verilator", arguments, staging, TimeSpan.FromMinutes(15));
        if (exit != 0)
        {
            throw new InvalidOperationException($"verilator could not build {build.TopModule}:\n{output}");
        }

        // Publish atomically: concurrent builders each finish their own staging folder; one rename wins.
        try
        {
            Directory.Move(staging, cache);
        }
        catch (IOException) when (File.Exists(binary))
        {
            Directory.Delete(staging, recursive: true);
        }

        return binary;
    }

    /// <summary>
    /// Starts the simulator; the returned stream is its UART (write = rx pin, read = tx pin). With
    /// <paramref name="bakedWeights"/> its weight memory starts with those bytes (see <see cref="Build"/>).
    /// </summary>
    /// <param name="bakedWeights">Bytes the weight memory starts with, or null for zeros.</param>
    /// <param name="build">The design; <see cref="RtlBuild.Default"/> when null.</param>
    /// <param name="trace">A VCD file that receives the run's waveform when the simulator ends, or null for none.</param>
    /// <param name="flash">
    /// What the board's SPI flash chip holds from address 0 (a design with <see cref="RtlBuild.HasFlashChip"/>;
    /// e.g. <c>codesign flash -o</c>'s file), or null for an erased chip. The build does not depend on it.
    /// </param>
    public static SimulatorProcess Start(byte[]? bakedWeights = null, RtlBuild? build = null, string? trace = null, byte[]? flash = null)
    {
        if (flash is not null && build?.HasFlashChip != true)
        {
            throw new ArgumentException($"the design {(build ?? RtlBuild.Default).TopModule} has no flash chip to load flash contents into");
        }

        var start = new ProcessStartInfo(Build(bakedWeights, build, traced: trace is not null))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (trace is not null)
        {
            // Created here, so that a path that cannot be written is refused (IOException, naming it) before the simulator starts.
            string path = Path.GetFullPath(trace);
            File.Create(path).Dispose();
            start.ArgumentList.Add(path);
        }

        if (flash is not null)
        {
            // The flash model reads it when the simulation starts ($readmemh of the plusarg's file).
            start.ArgumentList.Add($"+flash={FlashContentsFile(flash)}");
        }

        return new SimulatorProcess(Process.Start(start)!);
    }

    /// <summary>The simulator's class prefix and binary name, whatever its top module.</summary>
    private const string BinaryName = "Vdesign";

    private static string CacheRoot => Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "codesign", "verilator");

    /// <summary>Writes the flash model's file for <paramref name="flash"/> into the cache (once) and returns its path.</summary>
    private static string FlashContentsFile(byte[] flash) => CachedMemoryFile("flash", flash, (path, bytes) => ReadMemHexFile.Write(path, bytes, "flash contents file", powerOnValue: 0xFF));

    /// <summary>Writes the weight-memory file for <paramref name="bakedWeights"/> into the cache (once) and returns its path.</summary>
    private static string BakedWeightsFile(byte[] bakedWeights) => CachedMemoryFile("weights", bakedWeights, (path, bytes) => ReadMemHexFile.Write(path, bytes, "weight-memory file"));

    /// <summary>
    /// The cache's <c>$readmemh</c> file for <paramref name="bytes"/>, named by <paramref name="kind"/> and
    /// the bytes' hash, written by <paramref name="write"/> the first time it is asked for.
    /// </summary>
    private static string CachedMemoryFile(string kind, byte[] bytes, Action<string, byte[]> write)
    {
        string name = Convert.ToHexString(SHA256.HashData(bytes))[..16].ToLowerInvariant();
        string path = Path.Combine(CacheRoot, $"{kind}-{name}.hex");
        if (!File.Exists(path))
        {
            // The cache is this program's own folder; the writers create no folders. Each write is atomic.
            Directory.CreateDirectory(CacheRoot);
            write(path, bytes);
        }

        return path;
    }
}
