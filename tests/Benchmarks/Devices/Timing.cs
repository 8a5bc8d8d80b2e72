using System.Diagnostics;

namespace CoDesign.Benchmarks.Devices;

/// <summary>Medians of repeated timed calls, the form every device benchmark reports (the machines are shared and noisy).</summary>
internal static class Timing
{
    /// <summary>Timed batches per measurement.</summary>
    public const int Repetitions = 7;

    /// <summary>Median seconds of one call, over <see cref="Repetitions"/> timed batches after a warm-up.</summary>
    public static double Median(Action run) => Median(() =>
    {
        run();
        return 0;
    }, measured: false);

    /// <summary>
    /// Median seconds of one call over <see cref="Repetitions"/> timed batches after a warm-up of at least
    /// <paramref name="warmUp"/> (200 ms by default; a batch holds as many calls as the warm-up made): by the
    /// wall clock, or when <paramref name="measured"/> the seconds each call reports itself.
    /// </summary>
    public static double Median(Func<double> run, bool measured, TimeSpan? warmUp = null)
    {
        TimeSpan least = warmUp ?? TimeSpan.FromMilliseconds(200);
        var clock = Stopwatch.StartNew();
        int calls = 0;
        while (clock.Elapsed < least || calls == 0)
        {
            run();
            calls++;
        }

        var times = new double[Repetitions];
        for (int r = 0; r < Repetitions; r++)
        {
            clock.Restart();
            double reported = 0;
            for (int c = 0; c < calls; c++)
            {
                reported += run();
            }

            times[r] = (measured ? reported : clock.Elapsed.TotalSeconds) / calls;
        }

        Array.Sort(times);
        return times[Repetitions / 2];
    }

    /// <summary>The middle value (the upper middle for an even count).</summary>
    public static double MedianOf(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted[sorted.Length / 2];
    }
}
