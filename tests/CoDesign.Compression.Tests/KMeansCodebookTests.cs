using FsCheck;
using FsCheck.Fluent;

namespace CoDesign.Compression.Tests;

public class KMeansCodebookTests
{
    [Fact]
    public void FindsWellSeparatedClusters()
    {
        var random = new Random(11);
        double[] centers = [-1.0, 0.5, 2.0];
        double[] values = [.. Enumerable.Range(0, 3000).Select(i => centers[i % 3] + ((random.NextDouble() - 0.5) * 0.2))];

        double[] centroids = KMeansCodebook.Cluster(values, 3);

        Assert.Equal(3, centroids.Length);
        for (int c = 0; c < 3; c++)
        {
            Assert.InRange(centroids[c], centers[c] - 0.02, centers[c] + 0.02);
        }
    }

    [Fact]
    public void StartsLinearlyBetweenMinimumAndMaximum()
    {
        // Two values and two clusters: the linear start already sits on them and must stay there.
        Assert.Equal([-3.0, 10.0], KMeansCodebook.Cluster([10.0, -3.0, 10.0], 2));

        // Uneven clusters: linear initialisation keeps a centroid on the lone large value
        // (density-based starts would spend both on the crowd near zero).
        double[] values = [.. Enumerable.Repeat(0.01, 500), .. Enumerable.Repeat(0.02, 500), 5.0];
        double[] centroids = KMeansCodebook.Cluster(values, 2);
        Assert.Equal(5.0, centroids[1], 12);
        Assert.Equal(0.015, centroids[0], 12);
    }

    [Fact]
    public void EmptyInputGivesZeroCentroids() => Assert.Equal(new double[15], KMeansCodebook.Cluster([], 15));

    [Fact]
    public void BuildReservesIndexZeroForExactZeros()
    {
        var random = new Random(2);
        float[] weights = [.. Enumerable.Range(0, 5000).Select(i => i % 3 == 0 ? 0f : (float)((random.NextDouble() * 2) - 1))];

        WeightCodebook codebook = KMeansCodebook.Build(weights);

        Assert.Equal(0f, codebook.Centroids[0]);
        for (int i = 0; i < weights.Length; i++)
        {
            Assert.Equal(weights[i] == 0f, codebook.Indices[i] == 0);
        }

        float[] shared = codebook.Centroids[1..];
        Assert.Equal(shared.Order(), shared);
        Assert.Equal(15, shared.Distinct().Count());
        Assert.Equal(codebook.NonzeroCount, weights.Count(w => w != 0f));
    }

    [Fact]
    public void EveryNonzeroWeightGetsItsNearestSharedValue()
    {
        Prop.ForAll(
            Gen.Choose(-1000, 1000).Select(v => v / 100f).ArrayOf().ToArbitrary(),
            weights =>
            {
                WeightCodebook codebook = KMeansCodebook.Build(weights);
                for (int i = 0; i < weights.Length; i++)
                {
                    if (weights[i] == 0f)
                    {
                        if (codebook.Indices[i] != 0)
                        {
                            return false;
                        }

                        continue;
                    }

                    int index = codebook.Indices[i];
                    if (index == 0)
                    {
                        return false;
                    }

                    float distance = Math.Abs(weights[i] - codebook.Centroids[index]);
                    for (int k = 1; k < 16; k++)
                    {
                        if (Math.Abs(weights[i] - codebook.Centroids[k]) < distance - 1e-5f)
                        {
                            return false;
                        }
                    }
                }

                return true;
            }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void ShareWeightsReplacesWeightsWithTheirCodebookValues()
    {
        DenseMlp model = TestData.RandomModel(4, 20, 12, 3);
        model.Weights[0][5] = 0f;

        WeightCodebook[] codebooks = KMeansCodebook.ShareWeights(model);

        for (int l = 0; l < model.LayerCount; l++)
        {
            Assert.Equal(codebooks[l].Decode(), model.Weights[l]);
            Assert.True(model.Weights[l].Where(w => w != 0f).Distinct().Count() <= 15);
        }

        Assert.Equal(0f, model.Weights[0][5]);
    }
}
