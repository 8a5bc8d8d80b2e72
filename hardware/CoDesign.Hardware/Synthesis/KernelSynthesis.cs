using System.Globalization;

namespace CoDesign.Hardware.Synthesis;

/// <summary>
/// Synthesizes any Verilog module for an iCE40 board and reports its cells and Fmax. Yosys
/// (<c>synth_ice40</c>) maps the module alone, which gives the cell counts and the ports; a generated
/// wrapper (<see cref="SynthesisWrapper"/>) then feeds every input from a flip-flop and captures every
/// output in one, and nextpnr-ice40 places and routes that for the board's device and package (pins
/// unconstrained, fixed seed), which gives the clock's maximum frequency. A small module takes a few
/// seconds.
/// </summary>
public static class KernelSynthesis
{
    /// <summary>Synthesizes <paramref name="top"/> for the board called <paramref name="boardName"/> (see <see cref="Board.Find"/>).</summary>
    public static SynthesisReport Run(IReadOnlyList<string> verilogFiles, string top, string boardName, SynthesisOptions? options = null) =>
        Run(verilogFiles, top, Board.Find(boardName), options);

    /// <summary>Synthesizes <paramref name="top"/> for <paramref name="board"/>'s device.</summary>
    public static SynthesisReport Run(IReadOnlyList<string> verilogFiles, string top, Board board, SynthesisOptions? options = null) =>
        Run(verilogFiles, top, Ice40Device.For(board), options);

    /// <summary>
    /// Synthesizes module <paramref name="top"/> of <paramref name="verilogFiles"/> (with its default
    /// parameters) for <paramref name="device"/>. Throws <see cref="FileNotFoundException"/> for a
    /// missing source and <see cref="InvalidOperationException"/> with the tools' messages when Yosys
    /// or nextpnr fails, e.g. when no source defines <paramref name="top"/>.
    /// </summary>
    public static SynthesisReport Run(IReadOnlyList<string> verilogFiles, string top, Ice40Device device, SynthesisOptions? options = null)
    {
        options ??= new SynthesisOptions();
        string[] sources = [.. verilogFiles.Select(Path.GetFullPath)];
        if (sources.Length == 0)
        {
            throw new ArgumentException("no Verilog sources given", nameof(verilogFiles));
        }

        foreach (string source in sources)
        {
            if (!File.Exists(source))
            {
                throw new FileNotFoundException($"Verilog source {source} is missing", source);
            }
        }

        string work = Path.Combine(Path.GetTempPath(), $"codesign-synth-{top}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            YosysNetlist module = Synthesize(sources, top, device, options, work);
            if (module.Ports.Any(p => p.Direction == PortDirection.Inout))
            {
                throw new InvalidOperationException($"module '{top}' has inout ports; only input and output ports can be wrapped for timing");
            }

            (double fmax, IReadOnlyList<SourceLine> criticalPath) = module.Ports.Any(p => p.Direction == PortDirection.Output)
                ? PlaceAndRoute(sources, top, module.Ports, device, options, work)
                : (double.PositiveInfinity, []);
            return new SynthesisReport(
                top,
                device,
                Lut4: module.Count("SB_LUT4"),
                FlipFlops: module.Count("SB_DFF"),
                Carries: module.Count("SB_CARRY"),
                BlockRams: module.Count("SB_RAM40_4K"),
                Dsps: module.Count("SB_MAC16"),
                SpRams: module.Count("SB_SPRAM256KA"),
                FmaxMHz: fmax,
                module.Ports,
                criticalPath);
        }
        finally
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temporary folder is harmless.
            }
        }
    }

    /// <summary>synth_ice40 of the module alone: its netlist (cells and ports), kept for the wrapper's run.</summary>
    private static YosysNetlist Synthesize(string[] sources, string top, Ice40Device device, SynthesisOptions options, string work)
    {
        IEnumerable<string> includes = options.IncludeDirectories
            ?? sources.Select(Path.GetDirectoryName).OfType<string>().SelectMany(d => new[] { d, Path.Combine(d, "generated") }).Where(Directory.Exists);
        string includeFlags = string.Concat(includes.Distinct(StringComparer.Ordinal).Select(d => $" -I{Quote(d)}"));
        string dsp = options.UseDsp && device.HasDsp ? " -dsp" : "";
        string parameters = string.Concat((options.Parameters ?? new Dictionary<string, string>()).Select(p => $"chparam -set {p.Key} {p.Value} {Quote(top)}; "));
        string script = $"read_verilog -defer{includeFlags} {string.Join(' ', sources.Select(Quote))}; "
            + parameters + $"hierarchy -check -top {Quote(top)}; synth_ice40{dsp} -top {Quote(top)} -json module.json";
        (int exit, string output) = ExternalTool.Run("yosys", ["-q", "-p", script], work, options.Timeout);
        if (exit != 0)
        {
            string names = string.Join(", ", sources.Select(Path.GetFileName));
            string errors = string.Join('\n', output.Split('\n').Where(l => l.Contains("ERROR", StringComparison.Ordinal)).DefaultIfEmpty(output.Trim()));
            throw new InvalidOperationException(output.Contains("not found", StringComparison.Ordinal) && output.Contains(top, StringComparison.Ordinal)
                ? $"no module '{top}' in {names}: {errors}"
                : $"yosys could not synthesize '{top}' from {names}:\n{errors}");
        }

        return YosysNetlist.Parse(File.ReadAllText(Path.Combine(work, "module.json")), top);
    }

    /// <summary>Places and routes the module in its wrapper: nextpnr's Fmax of the clock and the source lines its critical path passes through.</summary>
    private static (double FmaxMHz, IReadOnlyList<SourceLine> CriticalPath) PlaceAndRoute(string[] sources, string top, IReadOnlyList<SynthesisPort> ports, Ice40Device device, SynthesisOptions options, string work)
    {
        File.WriteAllText(Path.Combine(work, "wrapper.v"), SynthesisWrapper.Generate(top, ports));
        // The module's netlist is read back rather than its sources: it is mapped already, so this
        // run only maps the wrapper's flip-flops.
        (int exit, string output) = ExternalTool.Run(
            "yosys", ["-q", "-p", $"read_json module.json; read_verilog wrapper.v; synth_ice40 -top {SynthesisWrapper.Name} -json wrapper.json"], work, options.Timeout);
        if (exit != 0)
        {
            throw new InvalidOperationException($"yosys could not synthesize the timing wrapper of '{top}':\n{output.Trim()}");
        }

        // nextpnr's router sometimes circles on a small design without converging (seen on the HX8K);
        // another placement seed routes it in seconds, so each seed gets a short leash and the next
        // one follows.
        string routerOutput = string.Empty;
        for (int attempt = 0; attempt < RoutingAttempts; attempt++)
        {
            int seed = options.Seed + attempt;
            var arguments = new List<string>(device.NextpnrArguments)
            {
                "--json", "wrapper.json", "--pcf-allow-unconstrained", "--freq", "12", "--seed", seed.ToString(CultureInfo.InvariantCulture),
                "--timing-allow-fail", "--quiet", "--report", "report.json", "--log", "nextpnr.log",
            };
            TimeSpan leash = attempt + 1 < RoutingAttempts ? TimeSpan.FromTicks(Math.Min(options.Timeout.Ticks, RoutingLeash.Ticks)) : options.Timeout;
            try
            {
                (exit, routerOutput) = ExternalTool.Run("nextpnr-ice40", arguments, work, leash);
            }
            catch (TimeoutException) when (attempt + 1 < RoutingAttempts)
            {
                continue;
            }

            if (exit == 0)
            {
                return (NextpnrReport.ClockFmax(File.ReadAllText(Path.Combine(work, "report.json"))),
                    NextpnrReport.CriticalPath(File.ReadAllText(Path.Combine(work, "nextpnr.log")), sources.Select(Path.GetFileName).OfType<string>()));
            }
        }

        throw new InvalidOperationException($"nextpnr-ice40 could not place and route '{top}' on {device.Name}-{device.Package} (too large for it?):\n{routerOutput.Trim()}");
    }

    /// <summary>Placement seeds tried before giving up.</summary>
    private const int RoutingAttempts = 3;

    /// <summary>How long one seed may route before the next is tried (a module that fits takes seconds).</summary>
    private static readonly TimeSpan RoutingLeash = TimeSpan.FromSeconds(90);

    private static string Quote(string text) => text.Contains(' ', StringComparison.Ordinal) ? $"\"{text}\"" : text;
}
