using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using CoDesign.Gpu;
using CoDesign.Hardware;
using CoDesign.Hardware.Kernels;
using CoDesign.Hardware.Synthesis;
using CoDesign.KernelCompiler;
using CoDesign.KernelCompiler.Execution;
using CoDesign.KernelSubset;
using CoDesign.Model.Files;

namespace CoDesign.Cli;

/// <summary>
/// <c>codesign kernel</c>: the kernel compiler's commands. <c>verilog</c> compiles a C# method to a
/// Verilog module, <c>run</c> calls it on the CPU, as that module under Verilator or through ILGPU, <c>synth</c>
/// reports what the module costs on a board's iCE40, <c>constants</c> writes C# constants as localparams.
/// </summary>
internal static partial class KernelCommand
{
    public static Command Create()
    {
        var command = new Command("kernel", "Compile C# kernels of the hardware subset to Verilog, run them on the CPU or as RTL, and synthesize them.")
        {
            Verilog(),
            Run(),
            Synth(),
            KernelConstantsCommand.Create(),
        };
        return command;
    }

    private static Argument<string> FileArgument() => new("file") { Description = "The C# file (the other .cs files of its folder are read too)." };

    private static Option<string> MethodOption() => new("--method", "-m") { Description = "The kernel as Class.Method; add the parameter types to pick an overload, e.g. 'Requantizer.ReluShiftSaturate(int, int)'.", Required = true };

    private static Option<double> ClockOption() =>
        new Option<double>("--clock-mhz") { Description = "Clock target in MHz: operations chain within one period (default 30).", DefaultValueFactory = _ => 30 }
            .AboveUpTo(0, 500);

    private static Option<string> ShapeOption()
    {
        var shape = new Option<string>("--shape") { Description = "auto (default): a pipeline when the kernel is one block without memories, else a state machine; fsm; pipeline; comb (combinational logic).", DefaultValueFactory = _ => "auto" };
        shape.AcceptOnlyFromAmong([.. KernelShapeNames.All]);
        return shape;
    }

    private static Option<bool> StallOption() =>
        new("--stall") { Description = "Give the module a stall input (a clock enable): while it is high every register holds, and a span port's access waits for a cycle with stall low." };

    private static Command Verilog()
    {
        var file = FileArgument();
        var method = MethodOption();
        var output = new Option<string?>("--output", "-o") { Description = "Verilog file to write (default: standard output)." };
        var clock = ClockOption();
        var shape = ShapeOption();
        var tag = new Option<bool>("--tag") { Description = "Give a pipeline in_tag/out_tag ports (parameter TAG_BITS) that travel with the data, and a busy output." };
        var stall = StallOption();
        var command = new Command("verilog", "Compile a kernel method to a Verilog-2005 module.") { file, method, output, clock, shape, tag, stall };
        command.SetAction(parse => Guard(() =>
        {
            string? path = parse.GetValue(output);
            if (path is not null)
            {
                OutputFile.Check(path, "--output");
            }

            string shapeName = parse.GetValue(shape)!;
            string command = $"codesign kernel verilog {parse.GetValue(file)} --method {Quote(parse.GetValue(method)!)}"
                + (parse.GetResult(clock) is { Implicit: false } ? string.Create(CultureInfo.InvariantCulture, $" --clock-mhz {parse.GetValue(clock):0.##}") : string.Empty)
                + (shapeName == "auto" ? string.Empty : $" --shape {shapeName}")
                + (parse.GetValue(tag) ? " --tag" : string.Empty)
                + (parse.GetValue(stall) ? " --stall" : string.Empty)
                + (path is null ? string.Empty : $" -o {path}");
            CompiledKernel kernel = Compile(parse.GetValue(file)!, parse.GetValue(method)!, parse.GetValue(clock), KernelShapeNames.Parse(shapeName), command, parse.GetValue(tag), parse.GetValue(stall));
            if (path is null)
            {
                Console.Out.Write(kernel.Verilog);
                return 0;
            }

            OutputFile.WriteAtomically(path, "--output", System.Text.Encoding.UTF8.GetBytes(kernel.Verilog));
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{kernel.ModuleName}: {Describe(kernel)}, clock target {kernel.Options.ClockMhz:0.##} MHz; written to {path}"));
            return 0;
        }));
        return command;
    }

    private static Command Run()
    {
        var file = FileArgument();
        var method = MethodOption();
        var arguments = new Option<string[]>("--arg", "-a") { Description = "A parameter's value(s): name=v1,v2,... (a scalar takes one; a span's length is its number of values; name= is an empty span). Repeat for each parameter.", AllowMultipleArgumentsPerToken = false };
        var backend = new Option<string>("--backend", "-b") { Description = "cpu: call the C# method; rtl: simulate the compiled module under Verilator; gpu: run the method rewritten for ILGPU (CUDA, else an OpenCL GPU, else ILGPU's CPU accelerator).", DefaultValueFactory = _ => "cpu" };
        backend.AcceptOnlyFromAmong("cpu", "rtl", "gpu");
        var trace = new Option<string?>("--trace") { Description = "With --backend rtl: write the simulation's waveform to this VCD file." };
        var clock = ClockOption();
        var shape = ShapeOption();
        var stall = new Option<bool>("--stall") { Description = "With --backend rtl: compile the module with a stall input and stall it in pseudo-random cycles; cycles counts those with stall low." };
        var command = new Command("run", "Call a kernel method with the given arguments and print its outputs.") { file, method, arguments, backend, trace, clock, shape, stall };
        command.SetAction(parse => Guard(() =>
        {
            string chosen = parse.GetValue(backend)!;
            string? vcd = parse.GetValue(trace);
            if (vcd is not null && chosen != "rtl")
            {
                throw new ArgumentException("--trace needs --backend rtl (the CPU run has no waveform)");
            }

            if (vcd is not null)
            {
                OutputFile.Check(vcd, "--trace");
            }

            if (parse.GetValue(stall) && chosen != "rtl")
            {
                throw new ArgumentException("--stall needs --backend rtl (only the compiled module has a stall input)");
            }

            string path = parse.GetValue(file)!;
            KernelSource source = KernelSource.Load(path);
            var symbol = source.FindMethod(parse.GetValue(method)!);
            var signature = KernelCompiler.Signature.KernelSignature.Of(symbol)
                ?? throw new KernelCompileException(KernelDiagnostic.At(symbol.Locations[0], SubsetCodes.UnsupportedParameter, $"signature of '{symbol.Name}'", "has a parameter or result outside the subset's integer types and spans"));
            KernelCall call = KernelArguments.Parse(signature, parse.GetValue(arguments) ?? []);
            KernelOutcome outcome;
            if (chosen == "cpu")
            {
                using var cpu = new CpuKernelBackend(source, symbol);
                outcome = cpu.Run(call);
            }
            else if (chosen == "gpu")
            {
                using GpuDevice device = GpuAccelerators.Open();
                outcome = new GpuKernelBackend(source, symbol, device.Accelerator).Run(call);
            }
            else
            {
                CompiledKernel kernel = KernelCompiler.KernelCompiler.Compile(source, symbol, new CompileOptions { ClockMhz = parse.GetValue(clock), Shape = KernelShapeNames.Parse(parse.GetValue(shape)!), Stall = parse.GetValue(stall) });
                outcome = new RtlKernelBackend(kernel, KernelSimulator.Verilator, vcd).Run(call);
            }

            foreach (string line in KernelOutcomeText.Lines(signature, outcome, withCycles: chosen == "rtl"))
            {
                Console.Out.WriteLine(line);
            }

            return 0;
        }));
        return command;
    }

    private static Command Synth()
    {
        var file = FileArgument();
        var method = MethodOption();
        var board = new Option<string>("--board") { Description = $"Board whose iCE40 to synthesize for: {string.Join(", ", Board.All.Select(b => b.Name))}.", Required = true };
        var clock = ClockOption();
        var shape = ShapeOption();
        var stall = StallOption();
        var command = new Command("synth", "Synthesize a kernel's module with Yosys and nextpnr and report its LUT4, FF, EBR, DSP and Fmax.") { file, method, board, clock, shape, stall };
        command.SetAction(parse => Guard(() =>
        {
            Board target = Board.Find(parse.GetValue(board)!);
            CompiledKernel kernel = Compile(parse.GetValue(file)!, parse.GetValue(method)!, parse.GetValue(clock), KernelShapeNames.Parse(parse.GetValue(shape)!), null, stall: parse.GetValue(stall));
            string folder = Path.Combine(Path.GetTempPath(), "codesign-synth-" + Guid.NewGuid().ToString("N")[..12]);
            Directory.CreateDirectory(folder);
            try
            {
                string design = Path.Combine(folder, kernel.ModuleName + ".v");
                File.WriteAllText(design, kernel.Verilog);
                SynthesisReport report = KernelSynthesis.Run([design], kernel.ModuleName, target);
                Console.Out.WriteLine($"{kernel.ModuleName} ({kernel.Signature.Name}) on the {target.Description}:");
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"LUT4 = {report.Lut4}"));
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"FF = {report.FlipFlops}"));
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"EBR = {report.BlockRams}"));
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"DSP = {report.Dsps}"));
                Console.Out.WriteLine(double.IsPositiveInfinity(report.FmaxMHz)
                    ? "Fmax = none (no register-to-register path)"
                    : string.Create(CultureInfo.InvariantCulture, $"Fmax = {report.FmaxMHz:0.0} MHz (target {kernel.Options.ClockMhz:0.##} MHz)"));
                if (!double.IsPositiveInfinity(report.FmaxMHz))
                {
                    Console.Out.WriteLine($"critical path = {CriticalPathText(kernel, report)}");
                }

                return 0;
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }));
        return command;
    }

    /// <summary>
    /// The C# operations on the critical path, in path order: each Verilog line it passes through
    /// carries its operation's <c>// File.cs:line source</c> comment. Carry chains keep their source
    /// lines through Yosys; logic that ABC merges into LUTs often keeps none, so a path may not trace.
    /// </summary>
    private static string CriticalPathText(CompiledKernel kernel, SynthesisReport report)
    {
        string[] lines = kernel.Verilog.Split('\n');
        string[] operations = [.. report.CriticalPath
            .Where(l => l.File == kernel.ModuleName + ".v" && l.Line >= 1 && l.Line <= lines.Length)
            .Select(l => CSharpComment().Match(lines[l.Line - 1]))
            .Where(m => m.Success)
            .Select(m => m.Groups[1].Value.Trim())
            .Distinct(StringComparer.Ordinal)];
        return operations.Length == 0 ? "not traced to C# (LUTs that Yosys merges keep no source lines)" : string.Join(" -> ", operations);
    }

    [GeneratedRegex(@"//\s*(\S+\.cs:\d+.*)$")]
    private static partial Regex CSharpComment();

    private static CompiledKernel Compile(string path, string method, double clockMhz, KernelShape shape, string? command, bool tag = false, bool stall = false) =>
        KernelCompiler.KernelCompiler.Compile(KernelSource.Load(path), method, new CompileOptions { ClockMhz = clockMhz, Shape = shape, Command = command, PipelineTag = tag, Stall = stall });

    private static string Describe(CompiledKernel kernel) => kernel.Shape switch
    {
        KernelShape.StateMachine => $"a state machine of {kernel.States} states",
        KernelShape.Pipeline => $"a pipeline of {kernel.States} stages",
        _ => "combinational logic",
    };

    private static string Quote(string text) => text.Contains(' ', StringComparison.Ordinal) ? $"'{text}'" : text;

    /// <summary>
    /// The compiler's diagnostics go out as they are (<c>FILE.cs(l,c): CODE: ...</c>, exit 2); bad
    /// arguments and a kernel that throws are one <c>error:</c> line, exit 2; the rest as every command.
    /// </summary>
    private static int Guard(Func<int> body) => CommandFailure.Guard(() =>
    {
        try
        {
            return body();
        }
        catch (KernelCompileException e)
        {
            foreach (KernelDiagnostic diagnostic in e.Diagnostics)
            {
                Console.Error.WriteLine(diagnostic);
            }

            return CommandFailure.BadInput;
        }
        catch (KernelArgumentException e)
        {
            Console.Error.WriteLine($"error: {MessageText.Shorten(e.Message)}");
            return CommandFailure.BadInput;
        }
        catch (KernelExecutionException e)
        {
            Console.Error.WriteLine($"error: {MessageText.Shorten(e.Message)}");
            return CommandFailure.BadInput;
        }
    });
}
