using System.Diagnostics;
using System.Globalization;
using CoDesign.KernelCompiler;
using CoDesign.KernelCompiler.Execution;
using CoDesign.KernelCompiler.Signature;
using CoDesign.TestSupport;
using Microsoft.CodeAnalysis;

namespace CoDesign.Benchmarks.Kernels;

/// <summary>
/// <c>--kernel-fuzz [N] [--rtl-every K]</c>: differential fuzzing of the kernel compiler at a scale the
/// test suite cannot afford. N random kernels (seeds from <see cref="FirstSeed"/>, above the 0..199
/// the tests use) each run generated calls on the CPU (the reference), the IR as lowered and the
/// optimized IR with every value checked against its narrowed width; every K-th also runs as RTL
/// under Icarus with its cycles checked against the schedule, and (unless it is combinational logic)
/// compiled again with a stall input and stalled at random, in the same cycles counted with stall low.
/// Any disagreement, refusal or crash is a failure: exit code 1.
/// </summary>
internal static class KernelFuzz
{
    /// <summary>The first seed: the tests' RandomKernelTests cover 0..199, so start well clear of them.</summary>
    public const int FirstSeed = 10_000;

    private const int DefaultKernels = 1000;
    private const int DefaultRtlEvery = 10;
    private const int CallsPerKernel = 20;
    private const int FailuresShown = 5;

    /// <summary>Parses the arguments after <c>--kernel-fuzz</c>, runs, prints, and returns the exit code.</summary>
    public static int Run(IReadOnlyList<string> args)
    {
        int count = DefaultKernels;
        int rtlEvery = DefaultRtlEvery;
        for (int i = 0; i < args.Count; i++)
        {
            if (args[i] == "--rtl-every" && i + 1 < args.Count && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out int every) && every >= 0)
            {
                rtlEvery = every;
                i++;
            }
            else if (int.TryParse(args[i], CultureInfo.InvariantCulture, out int n) && n > 0)
            {
                count = n;
            }
            else
            {
                Console.Error.WriteLine($"--kernel-fuzz: unexpected argument '{args[i]}'; usage: --kernel-fuzz [N] [--rtl-every K] (K = 0: no RTL)");
                return 2;
            }
        }

        return Fuzz(count, rtlEvery);
    }

    private static int Fuzz(int count, int rtlEvery)
    {
        pipelinedKernels = 0;
        Console.WriteLine($"Kernel compiler differential fuzzing: {count} random kernels (seeds {FirstSeed}..{FirstSeed + count - 1}), {CallsPerKernel} calls each;");
        Console.WriteLine($"cpu vs lowered IR vs optimized IR (CheckStorage){(rtlEvery > 0 ? $", and every {rtlEvery}th kernel as RTL under Icarus with predicted cycles checked, plain and stalled at random" : "; no RTL")}");
        var failures = new List<(int Seed, string Report)>();
        var shapes = new Dictionary<KernelShape, int>();
        int rtlRuns = 0;
        var total = Stopwatch.StartNew();
        TimeSpan rtlTime = TimeSpan.Zero;
        for (int i = 0; i < count; i++)
        {
            int seed = FirstSeed + i;
            bool withRtl = rtlEvery > 0 && i % rtlEvery == 0;
            GeneratedKernel generated = new RandomKernelGenerator(seed).Next();
            TimeSpan before = total.Elapsed;
            string? failure = Check(generated, seed, ref withRtl, shapes);
            if (withRtl)
            {
                rtlRuns++;
                rtlTime += total.Elapsed - before;
            }

            if (failure is not null)
            {
                failures.Add((seed, failure));
                Console.WriteLine($"  FAIL seed {seed}: {failure.Split('\n')[0].TrimEnd()}");
            }

            if ((i + 1) % 100 == 0)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {i + 1} kernels, {failures.Count} failures, {total.Elapsed.TotalSeconds:0.0} s"));
            }
        }

        total.Stop();
        Console.WriteLine();
        Console.WriteLine($"kernels: {count}; calls per kernel: {CallsPerKernel}; with RTL: {rtlRuns}; failures: {failures.Count}");
        Console.WriteLine("shapes: " + string.Join(", ", shapes.OrderBy(s => s.Key).Select(s => $"{s.Key} {s.Value}")));
        Console.WriteLine($"with a pipelined loop (always run as RTL too): {pipelinedKernels}");
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"time: {total.Elapsed.TotalSeconds:0.0} s ({count / total.Elapsed.TotalSeconds:0.0} kernels/s; the {rtlRuns} kernels with RTL took {rtlTime.TotalSeconds:0.0} s of it)"));
        foreach ((int seed, string report) in failures.Take(FailuresShown))
        {
            Console.WriteLine();
            Console.WriteLine($"---- failure, seed {seed} (new RandomKernelGenerator({seed}).Next(); inputs from new KernelInputGenerator({seed})) ----");
            Console.WriteLine(report.TrimEnd());
        }

        if (failures.Count > FailuresShown)
        {
            Console.WriteLine();
            Console.WriteLine($"({failures.Count - FailuresShown} more failures, seeds: {string.Join(", ", failures.Skip(FailuresShown).Select(f => f.Seed))})");
        }

        Console.WriteLine();
        Console.WriteLine(failures.Count == 0 ? "OK: every back end agreed on every call." : $"FAILED: {failures.Count} of {count} kernels.");
        return failures.Count == 0 ? 0 : 1;
    }

    /// <summary>One kernel through every back end; null when all agree, else the failure's report (with the listing).</summary>
    /// <summary>Kernels of this run with a modulo-scheduled loop.</summary>
    private static int pipelinedKernels;

    /// <remarks>A kernel with a pipelined loop always runs as RTL too (<paramref name="withRtl"/> is set): few random kernels get one.</remarks>
    private static string? Check(GeneratedKernel generated, int seed, ref bool withRtl, Dictionary<KernelShape, int> shapes)
    {
        string listing = generated.Listing();
        var created = new List<IKernelBackend>();
        try
        {
            KernelSource source = KernelSource.Parse(generated.Source, $"random{seed}.cs");
            IMethodSymbol method = source.FindMethod(generated.QualifiedName);
            KernelSignature signature = KernelSignature.Of(method)
                ?? throw new InvalidOperationException($"{generated.QualifiedName}: signature outside the subset");
            CompiledKernel kernel = KernelCompiler.KernelCompiler.Compile(source, method);
            shapes[kernel.Shape] = shapes.GetValueOrDefault(kernel.Shape) + 1;
            if (kernel.Schedules.Values.Any(s => s.Pipeline is not null))
            {
                // Counted apart: these exercise the modulo scheduler, and as RTL its valid bits and bypasses.
                withRtl = true;
                pipelinedKernels++;
            }

            created.Add(new CpuKernelBackend(source, method));
            created.Add(new KernelCompiler.Ir.IrInterpreter(KernelCompiler.KernelCompiler.Lower(source, method)));
            created.Add(new KernelCompiler.Ir.IrInterpreter(kernel.Ir) { CheckStorage = true });
            if (withRtl)
            {
                created.Add(new TimedRtlBackend(kernel));
                if (kernel.Shape != KernelShape.Combinational)
                {
                    created.Add(new TimedRtlBackend(KernelCompiler.KernelCompiler.Compile(source, method, new CompileOptions { Stall = true }), seed));
                }
            }

            // The mismatch's message names the back end, the first differing output and the inputs,
            // and ends with the listing passed as context.
            ConformanceCheck.CompareAll(created, new KernelInputGenerator(seed).Calls(signature, CallsPerKernel), listing);
            return null;
        }
        catch (KernelMismatchException mismatch)
        {
            return mismatch.Message;
        }
        catch (KernelCompileException refused)
        {
            return $"the compiler refused a kernel of the subset:{Environment.NewLine}{refused.Message}{Environment.NewLine}{listing}";
        }
        catch (Exception crash) when (crash is InvalidOperationException or NotSupportedException or ArgumentException or IndexOutOfRangeException or NullReferenceException or KeyNotFoundException or OverflowException)
        {
            return $"{crash.GetType().Name}: {crash.Message}{Environment.NewLine}{crash.StackTrace}{Environment.NewLine}{listing}";
        }
        finally
        {
            foreach (IDisposable backend in created.OfType<IDisposable>())
            {
                backend.Dispose();
            }
        }
    }
}
