using CoDesign.Model.Datasets;

namespace CoDesign.Compression;

/// <summary>
/// Magnitude pruning (Han et al., Deep Compression): in each layer keep the weights of largest
/// absolute value and set the rest to zero. Pruning gradually, with retraining between steps, lets
/// the surviving weights take over the work of the removed ones.
/// </summary>
public static class MagnitudePruner
{
    /// <summary>
    /// Prunes every layer of <paramref name="model"/> to <c>round(densities[l] * weights)</c> kept
    /// weights, choosing the largest magnitudes (ties: the lower index) among those that
    /// <paramref name="current"/> still keeps, so successive masks only ever remove weights. Zeroes the
    /// pruned weights in the model and returns the new mask.
    /// </summary>
    public static WeightMask Prune(DenseMlp model, IReadOnlyList<double> densities, WeightMask? current = null)
    {
        CheckDensities(model, densities);
        current?.CheckShape(model);
        var keep = new bool[model.LayerCount][];
        for (int l = 0; l < model.LayerCount; l++)
        {
            float[] w = model.Weights[l];
            long target = (long)Math.Round(densities[l] * w.Length, MidpointRounding.AwayFromZero);
            int[] candidates = current is null
                ? [.. Enumerable.Range(0, w.Length)]
                : [.. Enumerable.Range(0, w.Length).Where(i => current.IsKept(l, i))];
            int kept = (int)Math.Min(target, candidates.Length);

            // Sorting by (magnitude descending, index ascending) makes the choice among equal
            // magnitudes deterministic.
            Array.Sort(candidates, (x, y) =>
            {
                int byMagnitude = MathF.Abs(w[y]).CompareTo(MathF.Abs(w[x]));
                return byMagnitude != 0 ? byMagnitude : x.CompareTo(y);
            });
            keep[l] = new bool[w.Length];
            for (int k = 0; k < kept; k++)
            {
                keep[l][candidates[k]] = true;
            }
        }

        var mask = new WeightMask(keep);
        mask.Apply(model);
        return mask;
    }

    /// <summary>
    /// The densities of a gradual pruning schedule (Zhu and Gupta's cubic ramp): step <c>s</c> of
    /// <paramref name="steps"/> keeps <c>target + (1 - target)(1 - s/steps)^3</c>, so most weights go
    /// early, while the network still has plenty of capacity, and the last steps are gentle. The last
    /// step is exactly <paramref name="target"/>.
    /// </summary>
    public static double[] GradualSchedule(double target, int steps)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        CheckDensity(target, nameof(target));
        var schedule = new double[steps];
        for (int s = 1; s <= steps; s++)
        {
            double remaining = 1.0 - ((double)s / steps);
            schedule[s - 1] = target + ((1 - target) * remaining * remaining * remaining);
        }

        return schedule;
    }

    /// <summary>
    /// Prunes <paramref name="model"/> to the per-layer <paramref name="targets"/> in
    /// <paramref name="steps"/> steps of <see cref="GradualSchedule"/>, retraining with the mask after
    /// each step (<paramref name="retraining"/> per step; its seed is varied per step so each sees a new
    /// order). Returns the final mask; the model ends pruned and retrained.
    /// </summary>
    /// <param name="model">The trained dense network, pruned in place.</param>
    /// <param name="data">Training images for the retraining.</param>
    /// <param name="targets">Final density per layer, 0..1.</param>
    /// <param name="steps">Pruning steps (1 = one-shot pruning followed by retraining).</param>
    /// <param name="retraining">The training run after each step.</param>
    /// <param name="progress">Receives a report per step and the retraining reports.</param>
    /// <param name="cancellationToken">Stops between minibatches.</param>
    public static WeightMask PruneGradually(
        DenseMlp model,
        LabeledImages data,
        IReadOnlyList<double> targets,
        int steps,
        TrainingOptions retraining,
        IProgress<PruningProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        CheckDensities(model, targets);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        double[][] schedules = [.. targets.Select(t => GradualSchedule(t, steps))];
        WeightMask? mask = null;
        for (int s = 0; s < steps; s++)
        {
            double[] densities = [.. schedules.Select(schedule => schedule[s])];
            mask = Prune(model, densities, mask);
            progress?.Report(new PruningProgress(s + 1, steps, densities, null));
            int step = s + 1;
            IProgress<TrainingProgress>? training = progress is null
                ? null
                : new ForwardingProgress<TrainingProgress>(p => progress.Report(new PruningProgress(step, steps, densities, p)));
            MlpTrainer.Train(model, data, retraining with { Seed = retraining.Seed + s }, mask, null, training, cancellationToken);
        }

        return mask!;
    }

    private static void CheckDensities(DenseMlp model, IReadOnlyList<double> densities)
    {
        if (densities.Count != model.LayerCount)
        {
            throw new ArgumentException($"{densities.Count} densities for {model.LayerCount} layers", nameof(densities));
        }

        foreach (double density in densities)
        {
            CheckDensity(density, nameof(densities));
        }
    }

    private static void CheckDensity(double density, string name)
    {
        if (!(density is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(name, density, "a density is a fraction between 0 and 1");
        }
    }
}
