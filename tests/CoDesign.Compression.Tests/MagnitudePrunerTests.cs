
namespace CoDesign.Compression.Tests;

public class MagnitudePrunerTests
{
    [Fact]
    public void PruneKeepsExactlyTheRequestedCountOfLargestWeights()
    {
        DenseMlp model = TestData.RandomModel(1, 100, 40, 20, 10);
        DenseMlp original = model.Clone();
        double[] densities = [0.1, 0.333, 0.5];

        WeightMask mask = MagnitudePruner.Prune(model, densities);

        for (int l = 0; l < model.LayerCount; l++)
        {
            float[] before = original.Weights[l];
            long expected = (long)Math.Round(densities[l] * before.Length, MidpointRounding.AwayFromZero);
            Assert.Equal(expected, mask.KeptCount(l));
            Assert.Equal(expected, model.NonzeroWeightCountOf(l));
            float smallestKept = Enumerable.Range(0, before.Length).Where(i => mask.IsKept(l, i)).Min(i => Math.Abs(before[i]));
            float largestPruned = Enumerable.Range(0, before.Length).Where(i => !mask.IsKept(l, i)).Max(i => Math.Abs(before[i]));
            Assert.True(smallestKept >= largestPruned, $"layer {l}: kept {smallestKept} < pruned {largestPruned}");
            for (int i = 0; i < before.Length; i++)
            {
                Assert.Equal(mask.IsKept(l, i) ? before[i] : 0f, model.Weights[l][i]);
            }
        }
    }

    [Fact]
    public void SuccessiveMasksOnlyRemoveWeights()
    {
        DenseMlp model = TestData.RandomModel(2, 50, 20, 10, 5);
        WeightMask first = MagnitudePruner.Prune(model, [0.5, 0.5, 0.8]);
        // Perturb the survivors so that magnitudes change order: pruned weights must still stay pruned.
        var random = new Random(3);
        for (int l = 0; l < model.LayerCount; l++)
        {
            for (int i = 0; i < model.Weights[l].Length; i++)
            {
                model.Weights[l][i] = first.IsKept(l, i) ? (float)(random.NextDouble() - 0.5) : 0f;
            }
        }

        WeightMask second = MagnitudePruner.Prune(model, [0.2, 0.3, 0.4], first);

        for (int l = 0; l < model.LayerCount; l++)
        {
            for (int i = 0; i < model.Weights[l].Length; i++)
            {
                Assert.False(second.IsKept(l, i) && !first.IsKept(l, i));
            }
        }
    }

    [Fact]
    public void GradualScheduleFallsMonotonicallyToTheTarget()
    {
        double[] schedule = MagnitudePruner.GradualSchedule(0.1, 5);
        Assert.Equal(5, schedule.Length);
        Assert.Equal(0.1, schedule[^1], 12);
        Assert.True(schedule[0] < 1.0);
        for (int s = 1; s < schedule.Length; s++)
        {
            Assert.True(schedule[s] < schedule[s - 1]);
        }

        // Cubic: the first step removes more than the last.
        Assert.True(1.0 - schedule[0] > schedule[^2] - schedule[^1]);
    }

    [Fact]
    public void PrunedWeightsStayZeroDuringRetraining()
    {
        DenseMlp model = TestData.SmallModel.Clone();
        WeightMask mask = MagnitudePruner.Prune(model, [0.2, 0.3, 0.6]);
        DenseMlp pruned = model.Clone();

        MlpTrainer.Train(model, TestData.Train.Take(2000), TestData.QuickTraining with { Epochs = 2, WeightDecay = 1e-3f }, mask);

        long changed = 0;
        for (int l = 0; l < model.LayerCount; l++)
        {
            for (int i = 0; i < model.Weights[l].Length; i++)
            {
                if (!mask.IsKept(l, i))
                {
                    Assert.Equal(0f, model.Weights[l][i]);
                }
                else if (model.Weights[l][i] != pruned.Weights[l][i])
                {
                    changed++;
                }
            }
        }

        Assert.True(changed > model.NonzeroWeightCount / 2, $"only {changed} kept weights were trained");
    }

    [Fact]
    public void GradualPruningReachesTheTargetsAndKeepsAccuracy()
    {
        DenseMlp model = TestData.SmallModel.Clone();
        double denseAccuracy = model.Accuracy(TestData.Test);
        var reports = new List<PruningProgress>();

        WeightMask mask = MagnitudePruner.PruneGradually(
            model, TestData.Train, [0.1, 0.2, 0.5], 3, TestData.QuickTraining with { Epochs = 1 }, new ListProgress<PruningProgress>(reports));

        Assert.Equal(Math.Round(0.1 * 784 * 64), model.NonzeroWeightCountOf(0));
        Assert.Equal(Math.Round(0.2 * 64 * 32), model.NonzeroWeightCountOf(1));
        Assert.Equal(Math.Round(0.5 * 32 * 10), model.NonzeroWeightCountOf(2));
        Assert.Equal(model.NonzeroWeightCount, Enumerable.Range(0, 3).Sum(mask.KeptCount));
        Assert.Equal([1, 2, 3], reports.Where(r => r.Training is null).Select(r => r.Step));
        Assert.Equal(1.0, reports[^1].Fraction, 6);
        Assert.True(model.Accuracy(TestData.Test) > denseAccuracy - 0.05);
    }
}
