using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using CoDesign.Kernels;

namespace CoDesign.Benchmarks;

/// <summary>
/// The quick side-by-side mode: every case is checked for correctness first, then timed with a Stopwatch
/// (warm-up, batches calibrated to a minimum duration, several repetitions, median), and printed as one
/// table of ratios against the anchors. Seconds, not the minutes BenchmarkDotNet takes; less rigorous.
/// </summary>
public static class QuickRun
{
    private const int Repetitions = 11;
    private static readonly TimeSpan WarmUp = TimeSpan.FromMilliseconds(1000);
    private static readonly TimeSpan MinimumBatch = TimeSpan.FromMilliseconds(40);

    public static int Run()
    {
        Console.WriteLine($"CoDesign quick benchmarks: {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, {Environment.ProcessorCount} logical cores");
        if (!IsOptimized(typeof(SparseMatVec).Assembly) || !IsOptimized(typeof(QuickRun).Assembly))
        {
            Console.WriteLine("WARNING: not an optimized build; run with -c Release for meaningful numbers.");
        }

        bool ok = true;
        ok &= RunSpmv();
        ok &= RunShiftAdd();
        ok &= RunWidths();
        ok &= RunRequantizer();
        return ok ? 0 : 1;
    }

    private static bool RunSpmv()
    {
        const int size = 4096;
        const int peCount = 4;
        Console.WriteLine();
        Console.WriteLine($"SpMV {size} x {size}, {peCount} PEs, 15 distinct nonzero codebook values, half the activations zero (median of {Repetitions})");
        Console.WriteLine("ratios: how many times faster than the anchor; ns/item: per nonzero (f64 CSR), per element (dense), per CCS entry consumed (CCS)");
        Console.WriteLine($"{"density",-8} {"variant",-42} {"time",11} {"vs MathNet",11} {"vs CSR loop",12} {"vs dense",9} {"vs dense SIMD",14} {"ns/item",8}");
        bool ok = true;
        foreach (double density in new[] { 0.10, 0.02 })
        {
            var workload = new SpmvWorkload(size, size, density, peCount, seed: 2024);
            string? problem = workload.Verify();
            if (problem is not null)
            {
                Console.WriteLine($"{density,-8:P0} WRONG RESULT, not timed: {problem}");
                ok = false;
                continue;
            }

            double[] t = Medians(workload.MathNet, workload.CsrLoop, workload.DenseScalar, workload.DenseSimd, workload.CcsSingleThread, workload.CcsParallel);
            var anchors = (MathNet: t[0], Csr: t[1], Dense: t[2], DenseSimd: t[3]);
            string label = density.ToString("P0", CultureInfo.InvariantCulture);
            Row(label, "MathNet SparseMatrix * DenseVector (f64)", t[0], anchors, workload.Nonzeros);
            Row(label, "CSR f64 plain loop over MathNet's arrays", t[1], anchors, workload.Nonzeros);
            Row(label, "dense int16 x uint8, scalar", t[2], anchors, (long)size * size);
            Row(label, "dense int16 x uint8, Vector<T> SIMD", t[3], anchors, (long)size * size);
            Row(label, "CCS kernel, 1 thread", t[4], anchors, workload.EntriesPerRun);
            Row(label, $"CCS kernel, Parallel.For over {peCount} PEs", t[5], anchors, workload.EntriesPerRun);
            double speedup = t[0] / t[4];
            Console.WriteLine(
                $"{"",-8} nonzeros {workload.Nonzeros:N0}; CCS entries stored {workload.StoredEntries:N0} (padding {workload.StoredEntries - workload.Nonzeros:N0}), " +
                $"consumed per product {workload.EntriesPerRun:N0}");
            Console.WriteLine(
                $"{"",-8} CCS 1 thread = {speedup:F2}x MathNet, {t[1] / t[4]:F2}x the plain CSR loop: " +
                (density >= 0.1 ? (speedup >= 3 ? "meets the 3x target" : "MISSES the 3x target") : "(no target at this density)"));
        }

        return ok;
    }

    private static bool RunShiftAdd()
    {
        var workload = new ShiftAddWorkload(1 << 16, seed: 7);
        Console.WriteLine();
        Console.WriteLine($"Shift-add multiply, {workload.Count:N0} products of u8 x s16 ({(double)workload.TotalSteps / workload.Count:F2} add/sub steps on average)");
        string? problem = workload.Verify();
        if (problem is not null)
        {
            Console.WriteLine($"WRONG RESULT, not timed: {problem}");
            return false;
        }

        double[] t = Medians(workload.Native, workload.ShiftAddRecoded, workload.ShiftAddRadix4, workload.ShiftAddWithRecode);
        (double native, double recoded, double radix4, double recodeEach) = (t[0], t[1], t[2], t[3]);
        Console.WriteLine($"{"variant",-40} {"time",12} {"ns/product",11} {"vs native",10}");
        foreach ((string name, double time) in new[] { ("native multiply", native), ("shift-add, constants recoded ahead", recoded), ("radix-4 shift-add (PE), recoded ahead", radix4), ("shift-add, recoding every call", recodeEach) })
        {
            Console.WriteLine($"{name,-40} {Format(time),12} {time * 1e9 / workload.Count,11:F2} {time / native,9:F1}x");
        }

        return true;
    }

    private static bool RunWidths()
    {
        const int count = 1 << 20;
        Console.WriteLine();
        Console.WriteLine($"Width conversion, {count:N0} signed values (GB/s of packed memory; Mvalues/s)");
        Console.WriteLine($"{"case",-24} {"unpack GB/s",12} {"unpack Mval/s",14} {"pack GB/s",10} {"pack Mval/s",12}");
        bool ok = true;
        foreach ((int wordBits, int valueBits) in new[] { (32, 4), (64, 16), (8, 3), (64, 8), (32, 12), (16, 5) })
        {
            var workload = new WidthWorkload(wordBits, valueBits, signed: true, count, seed: 3);
            string? problem = workload.Verify();
            if (problem is not null)
            {
                Console.WriteLine($"{workload.Name,-24} WRONG RESULT, not timed: {problem}");
                ok = false;
                continue;
            }

            double[] t = Medians(() => workload.Unpack(), () => workload.Pack());
            (double unpack, double pack) = (t[0], t[1]);
            Console.WriteLine(
                $"{workload.Name,-24} {workload.PackedBytes / unpack / 1e9,12:F3} {count / unpack / 1e6,14:F0} {workload.PackedBytes / pack / 1e9,10:F3} {count / pack / 1e6,12:F0}");
        }

        return ok;
    }

    private static bool RunRequantizer()
    {
        const int count = 1 << 20;
        Console.WriteLine();
        Console.WriteLine($"Requantizer (ReLU, rounding shift, saturation), {count:N0} accumulators (Mvalues/s)");
        bool ok = true;
        foreach (int shift in new[] { 0, 8, 31 })
        {
            var workload = new RequantizerWorkload(count, shift, seed: 5);
            string? problem = workload.Verify();
            if (problem is not null)
            {
                Console.WriteLine($"shift {shift,-18} WRONG RESULT, not timed: {problem}");
                ok = false;
                continue;
            }

            double t = Medians(workload.Run)[0];
            Console.WriteLine($"shift {shift,-18} {count / t / 1e6,14:F0}");
        }

        return ok;
    }

    private static void Row(string density, string name, double time, (double MathNet, double Csr, double Dense, double DenseSimd) anchors, long items) =>
        Console.WriteLine(
            $"{density,-8} {name,-42} {Format(time),11} {anchors.MathNet / time,10:F2}x {anchors.Csr / time,11:F2}x {anchors.Dense / time,8:F2}x {anchors.DenseSimd / time,13:F2}x {time * 1e9 / items,8:F2}");

    private static string Format(double seconds) => seconds >= 1e-3 ? $"{seconds * 1e3:F3} ms" : $"{seconds * 1e6:F1} us";

    /// <summary>
    /// Median seconds per call of each action. Every action is warmed up past tiered compilation and given a
    /// batch size long enough for the timer; then the repetitions go round-robin over the actions, so that a
    /// burst of load from other processes hits all of them alike and the ratios stay fair.
    /// </summary>
    private static double[] Medians(params Action[] actions)
    {
        // A second of warm-up lets tiered compilation finish (tier 1 with dynamic PGO, which matters for
        // MathNet: its loop reads the vector through a virtual indexer that PGO devirtualizes); the
        // per-call time is then taken from the last quarter of it.
        var batches = new int[actions.Length];
        var clock = new Stopwatch();
        for (int a = 0; a < actions.Length; a++)
        {
            clock.Restart();
            long calls = 0;
            long callsAtThreeQuarters = 0;
            TimeSpan threeQuarters = TimeSpan.Zero;
            while (clock.Elapsed < WarmUp || calls < 8)
            {
                actions[a]();
                calls++;
                if (threeQuarters == TimeSpan.Zero && clock.Elapsed >= WarmUp * 0.75)
                {
                    threeQuarters = clock.Elapsed;
                    callsAtThreeQuarters = calls;
                }
            }

            double perCall = calls > callsAtThreeQuarters && threeQuarters > TimeSpan.Zero
                ? (clock.Elapsed - threeQuarters).TotalSeconds / (calls - callsAtThreeQuarters)
                : clock.Elapsed.TotalSeconds / calls;
            batches[a] = (int)Math.Clamp(Math.Ceiling(MinimumBatch.TotalSeconds / perCall), 1, 1_000_000);
        }

        var samples = new double[actions.Length, Repetitions];
        for (int r = 0; r < Repetitions; r++)
        {
            for (int a = 0; a < actions.Length; a++)
            {
                clock.Restart();
                for (int k = 0; k < batches[a]; k++)
                {
                    actions[a]();
                }

                samples[a, r] = clock.Elapsed.TotalSeconds / batches[a];
            }
        }

        var medians = new double[actions.Length];
        for (int a = 0; a < actions.Length; a++)
        {
            var sorted = new double[Repetitions];
            for (int r = 0; r < Repetitions; r++)
            {
                sorted[r] = samples[a, r];
            }

            Array.Sort(sorted);
            medians[a] = sorted[Repetitions / 2];
        }

        return medians;
    }

    private static bool IsOptimized(Assembly assembly) =>
        assembly.GetCustomAttribute<DebuggableAttribute>() is not { IsJITOptimizerDisabled: true };
}
