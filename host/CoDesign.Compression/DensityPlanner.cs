using CoDesign.Model.Datasets;

namespace CoDesign.Compression;

/// <summary>
/// Picks per-layer densities for any MLP shape from a sensitivity analysis on the user's data (after
/// Han et al., "Learning both Weights and Connections"): each layer alone is pruned by magnitude to a
/// ladder of densities and the calibration accuracy measured; then weights are handed out greedily,
/// always to the layer whose next step buys the most accuracy per weight, until the overall budget is spent.
/// </summary>
public static class DensityPlanner
{
    /// <summary>The overall weight density the plan aims at when none is given: under the 10 % goal, with room for rounding.</summary>
    public const double DefaultTarget = 0.098;

    /// <summary>The densities each layer is tried at.</summary>
    private static readonly double[] Ladder = [0.01, 0.02, 0.03, 0.05, 0.07, 0.1, 0.14, 0.2, 0.3, 0.4, 0.5, 0.7, 1.0];

    /// <summary>Calibration images used for the sensitivity analysis.</summary>
    public const int CalibrationImages = 5000;

    /// <summary>
    /// Densities for the layers of <paramref name="model"/> whose weights together keep at most
    /// <paramref name="target"/> of all weights, chosen by each layer's sensitivity on
    /// <paramref name="calibration"/> (a spread of at most <see cref="CalibrationImages"/> of them is used).
    /// </summary>
    public static DensityPlan Plan(DenseMlp model, LabeledImages calibration, double target = DefaultTarget)
    {
        if (!(target is > 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(target), target, "the overall density must be in (0, 1]");
        }

        LabeledImages sample = Spread(calibration, CalibrationImages);
        double dense = model.Accuracy(sample);

        // accuracy[l][k]: the calibration accuracy with layer l alone pruned to Ladder[k].
        var accuracy = new double[model.LayerCount][];
        for (int l = 0; l < model.LayerCount; l++)
        {
            accuracy[l] = new double[Ladder.Length];
            for (int k = 0; k < Ladder.Length; k++)
            {
                if (Ladder[k] >= 1)
                {
                    accuracy[l][k] = dense;
                    continue;
                }

                DenseMlp pruned = model.Clone();
                double[] densities = [.. Enumerable.Repeat(1.0, model.LayerCount)];
                densities[l] = Ladder[k];
                MagnitudePruner.Prune(pruned, densities);
                accuracy[l][k] = pruned.Accuracy(sample);
            }
        }

        double budget = target * model.WeightCount;
        int[] step = new int[model.LayerCount];
        double spent = Enumerable.Range(0, model.LayerCount).Sum(l => Ladder[0] * model.Weights[l].Length);
        while (true)
        {
            // The move (layer l up to rung k) with the best accuracy per weight that still fits the budget.
            (int Layer, int Rung, double Rate) best = (-1, -1, 0);
            for (int l = 0; l < model.LayerCount; l++)
            {
                for (int k = step[l] + 1; k < Ladder.Length; k++)
                {
                    double cost = (Ladder[k] - Ladder[step[l]]) * model.Weights[l].Length;
                    double gain = accuracy[l][k] - accuracy[l][step[l]];
                    if (spent + cost <= budget && gain / cost > best.Rate)
                    {
                        best = (l, k, gain / cost);
                    }
                }
            }

            if (best.Layer < 0)
            {
                break;
            }

            spent += (Ladder[best.Rung] - Ladder[step[best.Layer]]) * model.Weights[best.Layer].Length;
            step[best.Layer] = best.Rung;
        }

        double[] chosen = [.. step.Select(k => Ladder[k])];

        // Budget no rung could use goes to the layers in proportion to what they hold, so the plan reaches its target.
        double left = budget - spent;
        if (left > 0)
        {
            double held = Enumerable.Range(0, model.LayerCount).Where(l => chosen[l] < 1).Sum(l => chosen[l] * model.Weights[l].Length);
            for (int l = 0; l < chosen.Length && held > 0; l++)
            {
                if (chosen[l] < 1)
                {
                    chosen[l] = Math.Min(1, chosen[l] * (1 + (left / held)));
                }
            }
        }

        return new DensityPlan(chosen, dense, [.. Enumerable.Range(0, model.LayerCount).Select(l => accuracy[l][step[l]])], sample.Count);
    }

    /// <summary>At most <paramref name="count"/> records spread evenly over <paramref name="data"/> (every class when they are sorted by class).</summary>
    private static LabeledImages Spread(LabeledImages data, int count)
    {
        if (data.Count <= count)
        {
            return data;
        }

        var pixels = new byte[(long)count * data.ImageSize];
        var labels = new byte[count];
        for (int i = 0; i < count; i++)
        {
            int source = (int)((long)i * data.Count / count);
            data.Image(source).CopyTo(pixels.AsSpan(i * data.ImageSize));
            labels[i] = data.Labels[source];
        }

        return new LabeledImages(pixels, labels, data.Width, data.Height);
    }
}
