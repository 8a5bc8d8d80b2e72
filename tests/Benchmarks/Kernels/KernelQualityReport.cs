using System.Diagnostics;
using System.Globalization;
using CoDesign.Hardware;
using CoDesign.Hardware.Synthesis;
using CoDesign.KernelCompiler;
using CoDesign.KernelCompiler.Execution;
using CoDesign.KernelCompiler.Signature;
using CoDesign.TestSupport;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CoDesign.Benchmarks.Kernels;

/// <summary>
/// <c>--kernels [--board NAME]...</c>: the kernel compiler's quality report. How long compiling every
/// kernel of kernels/ takes, then each compiled kernel beside the hand-written module it replaces,
/// both synthesized in the same run with the same Yosys and nextpnr settings, as a Markdown table of
/// compiled/hand ratios with the issue's bar beside each. <c>--seeds N</c> places and routes each side
/// with placement seeds 1..N and compares the median Fmax: one seed's Fmax moves by several percent
/// with nothing changed.
/// </summary>
internal static class KernelQualityReport
{
    /// <summary>The issue's goal for compiling every kernel.</summary>
    private static readonly TimeSpan CompileGoal = TimeSpan.FromSeconds(10);

    /// <summary>Parses the arguments after <c>--kernels</c>, runs, prints; 0 unless something could not run at all.</summary>
    public static int Run(IReadOnlyList<string> args)
    {
        var boards = new List<string>();
        string only = string.Empty;
        int seeds = 1;
        for (int i = 0; i < args.Count; i++)
        {
            if (args[i] == "--board" && i + 1 < args.Count)
            {
                boards.Add(args[++i]);
            }
            else if (args[i] == "--only" && i + 1 < args.Count)
            {
                only = args[++i];
            }
            else if (args[i] == "--seeds" && i + 1 < args.Count && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out seeds) && seeds >= 1)
            {
                i++;
            }
            else
            {
                Console.Error.WriteLine($"--kernels: unexpected argument '{args[i]}'; usage: --kernels [--board icebreaker|hx8k-breakout]... [--only TEXT] [--seeds N] (default: icebreaker, every pair, seed 1)");
                return 2;
            }
        }

        if (boards.Count == 0)
        {
            boards.Add(Board.IceBreaker.Name);
        }

        Console.WriteLine("Kernel compiler quality report");
        Console.WriteLine();
        CompileEverything();
        Console.WriteLine();
        var rows = new List<string>();
        var notes = new List<string>();
        foreach (string boardName in boards)
        {
            Board board = Board.Find(boardName);
            foreach (KernelPair pair in KernelPairs.All.Where(p => p.Title.Contains(only, StringComparison.Ordinal)))
            {
                Console.Error.WriteLine($"  synthesizing {pair.Title} on {board.Name} ...");
                rows.Add(Compare(pair, board, seeds, notes));
            }

            if (PeModuleComparison.Title.Contains(only, StringComparison.Ordinal))
            {
                Console.Error.WriteLine($"  synthesizing {PeModuleComparison.Title} on {board.Name} ...");
                rows.Add(PeModuleComparison.Row(board, seeds, notes));
            }
        }

        Console.WriteLine($"Compiled kernels vs hand-written modules (same Yosys synth_ice40 and nextpnr-ice40 settings, {(seeds == 1 ? "seed 1" : $"Fmax the median of seeds 1..{seeds}")}; compiled for 30 MHz, or the clock a note names, with the delays of the board's device; hand modules with their default parameters, or those a note names):");
        Console.WriteLine();
        Console.WriteLine("| Compiled kernel vs hand module | Board | Compiled shape | LUT4 compiled / hand | LUT4 ratio (bar) | FF compiled / hand | EBR compiled / hand | DSP compiled / hand | Fmax MHz compiled / hand | Fmax ratio (bar) | Cycles compiled / hand | Cycles (bar) |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (string row in rows)
        {
            Console.WriteLine(row);
        }

        Console.WriteLine();
        Console.WriteLine("Notes:");
        foreach (string note in notes.Distinct(StringComparer.Ordinal))
        {
            Console.WriteLine("- " + note);
        }

        return 0;
    }

    /// <summary>Every public static method of kernels/*.cs with a signature of the subset, compiled with default options, timed.</summary>
    private static void CompileEverything()
    {
        var compiled = new List<string>();
        var refused = new List<string>();
        var outside = new List<string>();
        var loading = new Stopwatch();
        var compiling = new Stopwatch();
        // Wall time depends on the load of a shared machine; the process's CPU time says what the work costs.
        TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var total = Stopwatch.StartNew();
        foreach (string path in Directory.GetFiles(RepositoryFiles.Kernels, "*.cs").OrderBy(p => p, StringComparer.Ordinal))
        {
            loading.Start();
            KernelSource source = KernelSource.Load(path);
            SemanticModel model = source.Compilation.GetSemanticModel(source.Tree);
            var methods = source.Tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>()
                .Select(m => model.GetDeclaredSymbol(m))
                .OfType<IMethodSymbol>()
                .Where(m => m.IsStatic && m.DeclaredAccessibility == Accessibility.Public && m.ContainingType.DeclaredAccessibility == Accessibility.Public)
                .ToList();
            loading.Stop();
            foreach (IMethodSymbol method in methods)
            {
                string name = $"{method.ContainingType.Name}.{method.Name}({string.Join(", ", method.Parameters.Select(p => (p.RefKind == RefKind.Out ? "out " : string.Empty) + p.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)))})";
                if (KernelSignature.Of(method) is null)
                {
                    outside.Add(name);
                    continue;
                }

                var one = Stopwatch.StartNew();
                compiling.Start();
                try
                {
                    CompiledKernel kernel = KernelCompiler.KernelCompiler.Compile(source, method);
                    compiling.Stop();
                    compiled.Add(string.Create(CultureInfo.InvariantCulture, $"{name}: {kernel.Shape}, {kernel.States} {(kernel.Shape == KernelShape.StateMachine ? "states" : kernel.States == 1 ? "stage" : "stages")}, {one.Elapsed.TotalMilliseconds:0} ms"));
                }
                catch (KernelCompileException error)
                {
                    compiling.Stop();
                    refused.Add($"{name}: {error.Diagnostics[0]}{(error.Diagnostics.Count > 1 ? $" (+{error.Diagnostics.Count - 1} more)" : string.Empty)}");
                }
            }
        }

        total.Stop();
        TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Compile time: {compiled.Count} kernels of kernels/*.cs compiled in {total.Elapsed.TotalSeconds:0.00} s wall, {cpu.TotalSeconds:0.00} s CPU, load average {LoadAverage()} (loading and binding the files {loading.Elapsed.TotalSeconds:0.00} s, compiling {compiling.Elapsed.TotalSeconds:0.00} s, refusals included); goal all kernels < {CompileGoal.TotalSeconds:0} s: {(total.Elapsed < CompileGoal ? "met" : "NOT met")}"));
        foreach (string line in compiled)
        {
            Console.WriteLine("  " + line);
        }

        Console.WriteLine($"Refused by the compiler: {refused.Count}");
        foreach (string line in refused)
        {
            Console.WriteLine("  " + line);
        }

        Console.WriteLine($"Signature outside the subset (not attempted): {outside.Count}{(outside.Count > 0 ? ": " + string.Join(", ", outside) : string.Empty)}");
    }

    /// <summary>The 1-minute load average from /proc/loadavg, or "?" where there is none.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    /// <summary>One pair on one board: a table row (or a row saying why it was skipped); notes are added to <paramref name="notes"/>.</summary>
    private static string Compare(KernelPair pair, Board board, int seeds, List<string> notes)
    {
        string head = $"| `{pair.Method.Split('(')[0]}`{pair.StallMark} vs `{pair.HandTop}` | {board.Name} |";
        CompiledKernel kernel;
        try
        {
            KernelSource source = KernelSource.Load(Path.Combine(RepositoryFiles.Kernels, pair.KernelFile));
            // Scheduled with the delays of the board's own device, so each board gets the module meant for
            // it, unless the accelerator's one copy of the module serves both boards: then that copy.
            kernel = KernelCompiler.KernelCompiler.Compile(source, pair.Method, new CompileOptions { Shape = pair.Shape, Device = pair.Device ?? Ice40Device.For(board).Name, ClockMhz = pair.ClockMhz, PipelineTag = pair.PipelineTag, Stall = pair.Stall });
        }
        catch (KernelCompileException error)
        {
            return Skipped(head, $"the compiler refused it: {error.Diagnostics[0]}");
        }

        var handFiles = pair.HandFiles.Select(f => (File: f, Path: RepositoryFiles.HandModule(f))).ToList();
        string? missing = handFiles.FirstOrDefault(f => f.Path is null).File;
        if (missing is not null)
        {
            return Skipped(head, $"{missing} is in none of hardware/baseline/, hardware/rtl/ and hardware/rtl/generated/");
        }

        // Cycles: a pipeline's or combinational module's latency is fixed; a state machine's depends
        // on the call, so it is the schedule's prediction on the representative call, confirmed by
        // simulating that call under Icarus.
        KernelCall call = pair.Input(kernel.Signature);
        (long handCycles, string handSource) = pair.HandCycles(call);
        long compiledCycles;
        string compiledSource;
        try
        {
            long? simulated = new TimedRtlBackend(kernel).Run(call).Cycles;
            compiledCycles = kernel.Shape == KernelShape.StateMachine ? simulated ?? -1 : kernel.Latency;
            compiledSource = kernel.Shape == KernelShape.StateMachine
                ? $"cycles of the state machine on {Describe(call)} (predicted = simulated under Icarus{(kernel.Options.Stall ? ", the bench stalling it in about a quarter of the cycles at random, counted with stall low" : string.Empty)})"
                : $"kernel.Latency of the {kernel.Shape.ToString().ToLowerInvariant()} module";
        }
        catch (InvalidOperationException error)
        {
            return Skipped(head, $"the compiled module did not simulate: {error.Message.Split('\n')[0]}");
        }

        SynthesisReport compiled, hand;
        string folder = Path.Combine(Path.GetTempPath(), "codesign-bench-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        try
        {
            string design = Path.Combine(folder, kernel.ModuleName + ".v");
            File.WriteAllText(design, kernel.Verilog);
            string[] compiledFiles = [design];
            string compiledTop = kernel.ModuleName;
            if (pair.InnerMemories is not null || pair.NarrowedPorts is not null)
            {
                compiledTop = KernelMemoryShell.ModuleName(kernel);
                compiledFiles = [design, Path.Combine(folder, compiledTop + ".v")];
                File.WriteAllText(compiledFiles[1], KernelMemoryShell.Generate(kernel, pair.InnerMemories ?? new Dictionary<string, int>(), pair.NarrowedPorts ?? new Dictionary<string, int>()));
            }

            compiled = Synthesize(compiledFiles, compiledTop, board, new SynthesisOptions(), seeds, out string compiledSpread);
            hand = Synthesize([.. handFiles.Select(f => f.Path!)], pair.HandTop, board, new SynthesisOptions { Parameters = pair.HandParameters }, seeds, out string handSpread);
            if (seeds > 1)
            {
                notes.Add($"`{pair.Method}`{pair.StallMark} vs `{pair.HandTop}` on {board.Name}, Fmax MHz over seeds 1..{seeds}: compiled {compiledSpread}, hand {handSpread}.");
            }
        }
        catch (Exception error) when (error is InvalidOperationException or FileNotFoundException)
        {
            return Skipped(head, $"synthesis failed: {error.Message.Split('\n')[0]}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        string? generated = RepositoryFiles.GeneratedModule(kernel.ModuleName);
        notes.Add($"`{pair.Method}`{pair.StallMark} (module {kernel.ModuleName}, {kernel.Shape}) vs `{pair.HandTop}` ({string.Join(", ", handFiles.Select(f => Path.GetRelativePath(RepositoryFiles.Root, f.Path!)))}): {pair.Note} Compiled cycles: {compiledSource}. Hand cycles: {handSource}."
            + (generated is null ? string.Empty : $" The checked-in {Path.GetRelativePath(RepositoryFiles.Root, generated)} {(WithoutCommand(File.ReadAllText(generated)) == WithoutCommand(kernel.Verilog) ? "is" : "is NOT")} identical to this compile."));

        double lutRatio = Ratio(compiled.Lut4, hand.Lut4);
        double fmaxRatio = double.IsPositiveInfinity(compiled.FmaxMHz) || double.IsPositiveInfinity(hand.FmaxMHz) ? double.NaN : compiled.FmaxMHz / hand.FmaxMHz;
        string lutBar = pair.IsPe ? Bar(lutRatio, lutRatio <= 1.25, "≤ 1.25x") : Bar(lutRatio, lutRatio <= 1.2, "≤ 1.2x");
        // Fewer block RAMs for the same function passes the bar of equal ones; more does not.
        string ebrVerdict = compiled.BlockRams == hand.BlockRams ? "met" : compiled.BlockRams < hand.BlockRams ? "met, fewer" : "NOT met";
        string ebr = $"{compiled.BlockRams} / {hand.BlockRams}" + (pair.IsPe ? $" (bar equal: {ebrVerdict})" : string.Empty);
        string fmaxBar = pair.IsPe ? Bar(fmaxRatio, fmaxRatio >= 0.9, "≥ 0.9x") : Bar(fmaxRatio, null, "no bar");
        string cycles;
        if (pair.IsPe)
        {
            double cycleRatio = Ratio(compiledCycles, handCycles);
            cycles = Bar(cycleRatio, cycleRatio <= 1.15, "≤ 1.15x");
        }
        else
        {
            long extra = compiledCycles - handCycles;
            cycles = string.Create(CultureInfo.InvariantCulture, $"{(extra >= 0 ? "+" : string.Empty)}{extra} ({(extra <= 1 ? "met" : "NOT met")}, bar ≤ +1)");
        }

        return string.Create(
            CultureInfo.InvariantCulture,
            $"{head} {kernel.Shape} | {compiled.Lut4} / {hand.Lut4} | {lutBar} | {compiled.FlipFlops} / {hand.FlipFlops} | {ebr} | {compiled.Dsps} / {hand.Dsps} | {Mhz(compiled.FmaxMHz)} / {Mhz(hand.FmaxMHz)} | {fmaxBar} | {compiledCycles} / {handCycles} | {cycles} |");
    }

    /// <summary>
    /// The module synthesized once per seed 1..<paramref name="seeds"/>: the cells (the same for every seed)
    /// with the median Fmax; <paramref name="spread"/> lists each seed's Fmax.
    /// </summary>
    internal static SynthesisReport Synthesize(string[] sources, string top, Board board, SynthesisOptions options, int seeds, out string spread)
    {
        var reports = Enumerable.Range(1, seeds).Select(seed => KernelSynthesis.Run(sources, top, board, options with { Seed = seed })).ToList();
        spread = string.Join(" ", reports.Select(r => Mhz(r.FmaxMHz)));
        List<SynthesisReport> byFmax = [.. reports.OrderBy(r => r.FmaxMHz)];
        return byFmax[(byFmax.Count - 1) / 2];
    }

    // The header's command line names the output file and the options as typed, which this compile does not have.
    private static string WithoutCommand(string verilog) =>
        string.Join('\n', verilog.Split('\n').Where(l => !l.StartsWith("// Regenerate with: ", StringComparison.Ordinal)));

    private static string Skipped(string head, string why)
    {
        Console.Error.WriteLine("  skipped: " + why);
        return $"{head} skipped: {why.Replace('|', '/')} | | | | | | | | | |";
    }

    private static double Ratio(long compiled, long hand) => hand == 0 ? (compiled == 0 ? 1 : double.PositiveInfinity) : (double)compiled / hand;

    private static string Bar(double ratio, bool? met, string bar) =>
        double.IsNaN(ratio) ? $"n/a ({bar})"
        : string.Create(CultureInfo.InvariantCulture, $"{(double.IsPositiveInfinity(ratio) ? "∞" : ratio.ToString("0.00", CultureInfo.InvariantCulture))}x ({(met is null ? bar : $"{(met.Value ? "met" : "NOT met")}, bar {bar}")})");

    private static string Mhz(double fmax) => double.IsPositiveInfinity(fmax) ? "none" : fmax.ToString("0.0", CultureInfo.InvariantCulture);

    private static string Describe(KernelCall call) => string.Join(
        ", ",
        call.Signature.Parameters.Where(p => p.Kind != KernelParameterKind.Out).Select(p =>
        {
            long[] values = call.Arguments[p.Name];
            return p.IsSpan ? $"{p.Name}[{values.Length}]" : $"{p.Name} = {values.FirstOrDefault()}";
        }));
}
