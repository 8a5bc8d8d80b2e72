using System.Globalization;
using CoDesign.KernelCompiler;
using CoDesign.KernelCompiler.Execution;
using CoDesign.KernelCompiler.Signature;

namespace CoDesign.Hardware.Kernels;

/// <summary>
/// Runs a compiled kernel's Verilog in a simulator, through <see cref="KernelTestBench"/>: the
/// <c>rtl</c> backend of <c>codesign kernel run</c> and of the conformance tests. Outcomes carry the
/// simulated cycles from start to done (for a module with a stall input, the cycles with <c>stall</c> low;
/// <paramref name="stallSeed"/> seeds the bench's stall pattern).
/// </summary>
public sealed class RtlKernelBackend(CompiledKernel kernel, KernelSimulator simulator = KernelSimulator.Icarus, string? traceFile = null, int stallSeed = 1) : IKernelBackend
{
    /// <inheritdoc/>
    public string Name => "rtl";

    /// <inheritdoc/>
    public KernelOutcome Run(KernelCall call) => RunAll([call])[0];

    /// <summary>Runs every call in one simulation (one build), in order.</summary>
    public IReadOnlyList<KernelOutcome> RunAll(IReadOnlyList<KernelCall> calls)
    {
        string folder = Path.Combine(Path.GetTempPath(), "codesign-kernel-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        try
        {
            string design = Path.Combine(folder, kernel.ModuleName + ".v");
            string bench = Path.Combine(folder, "kernel_tb.v");
            File.WriteAllText(design, kernel.Verilog);
            string? trace = traceFile is null ? null : Path.GetFullPath(traceFile);
            File.WriteAllText(bench, KernelTestBench.Write(kernel, calls, trace, stallSeed));
            string output = simulator == KernelSimulator.Icarus
                ? IcarusSimulation.Run("kernel_tb", [design, bench], folder, timeout: TimeSpan.FromMinutes(10))
                : RunVerilator(folder, design, bench);
            return Parse(output, calls);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string RunVerilator(string folder, string design, string bench)
    {
        (int built, string messages) = ExternalTool.Run(
            "verilator",
            ["--binary", "--timing", "-Wall", "-Wno-DECLFILENAME", "-Wno-UNUSEDSIGNAL", "-Wno-UNUSEDPARAM", "-Wno-WIDTH", "-Wno-TIMESCALEMOD", "-Wno-BLKSEQ", "-Wno-STMTDLY", "-Wno-INITIALDLY",
             "--trace", "-O1", "-j", "2", "--top-module", "kernel_tb", "-Mdir", Path.Combine(folder, "obj"), "-o", "kernel_tb", design, bench],
            folder,
            TimeSpan.FromMinutes(10));
        if (built != 0)
        {
            throw new InvalidOperationException($"verilator rejected the generated Verilog:\n{messages}");
        }

        (int ran, string output) = ExternalTool.Run(Path.Combine(folder, "obj", "kernel_tb"), [], folder, TimeSpan.FromMinutes(10));
        return ran == 0 ? output : throw new InvalidOperationException($"the Verilator simulation failed (exit {ran}):\n{output}");
    }

    private IReadOnlyList<KernelOutcome> Parse(string output, IReadOnlyList<KernelCall> calls)
    {
        var results = calls.Select(c => c.Signature.Parameters
            .Where(p => p.IsSpan || p.Kind == KernelParameterKind.Out)
            .ToDictionary(p => p.Name, p => new long[p.IsSpan ? (c.Arguments.TryGetValue(p.Name, out long[]? v) ? v.Length : 0) : 1])).ToList();
        var returns = new long?[calls.Count];
        var cycles = new long?[calls.Count];
        foreach (string line in output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            string[] parts = line.Split(' ');
            if (parts[0] == "TIMEOUT")
            {
                throw new InvalidOperationException($"{kernel.Signature.Name}: call {parts[1]} did not finish within {KernelTestBench.MaxCycles:N0} cycles");
            }

            if (parts[0] == "DROPPED")
            {
                throw new InvalidOperationException($"{kernel.Signature.Name}: after call {parts[1]}, done fell in a stalled cycle (a stall must hold every register)");
            }

            if (parts[0] == "C" && parts.Length == 3)
            {
                cycles[int.Parse(parts[1], CultureInfo.InvariantCulture)] = long.Parse(parts[2], CultureInfo.InvariantCulture);
            }
            else if (parts[0] == "R" && parts.Length == 5)
            {
                int call = int.Parse(parts[1], CultureInfo.InvariantCulture);
                if (!ulong.TryParse(parts[4], NumberStyles.None, CultureInfo.InvariantCulture, out ulong raw))
                {
                    throw new InvalidOperationException($"{kernel.Signature.Name}: call {call} left an undefined value in {parts[2]}[{parts[3]}] ({parts[4]})");
                }

                if (parts[2] == "return")
                {
                    returns[call] = kernel.Signature.Return!.Value.Normalize((long)raw);
                    continue;
                }

                KernelParameter p = kernel.Signature.Parameters.First(p => p.Name == parts[2]);
                results[call][p.Name][int.Parse(parts[3], CultureInfo.InvariantCulture)] = p.Type.Normalize((long)raw);
            }
        }

        return [.. Enumerable.Range(0, calls.Count).Select(i => new KernelOutcome(results[i], returns[i], cycles[i]))];
    }
}
