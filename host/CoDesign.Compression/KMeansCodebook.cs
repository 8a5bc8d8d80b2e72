using CoDesign.Kernels;

namespace CoDesign.Compression;

/// <summary>
/// Weight sharing by one-dimensional k-means (Deep Compression): the nonzero weights of a layer are
/// clustered into 15 shared values, so each weight becomes a 4-bit index (1..15) and index 0 stays
/// the exact zero of pruned weights. Centroids start evenly spaced between the smallest and the
/// largest value ("linear initialisation"), which Han et al. found best because it keeps the rare
/// large weights, which matter most, represented.
/// </summary>
public static class KMeansCodebook
{
    /// <summary>Shared nonzero values per layer: 16 codebook entries minus the reserved zero.</summary>
    public const int SharedValueCount = CcsEntry.CodebookSize - 1;

    /// <summary>Default iteration limit; 1-D k-means on sorted data usually settles in a few dozen.</summary>
    public const int DefaultMaxIterations = 200;

    /// <summary>
    /// Lloyd's k-means of <paramref name="values"/> into <paramref name="clusters"/> centroids, returned
    /// in ascending order. A value halfway between two centroids goes to the lower one; a cluster
    /// that loses all its values keeps its centroid. With no values, every centroid is zero.
    /// </summary>
    public static double[] Cluster(ReadOnlySpan<double> values, int clusters, int maxIterations = DefaultMaxIterations)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(clusters);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxIterations);
        var centroids = new double[clusters];
        if (values.IsEmpty)
        {
            return centroids;
        }

        // Sorted values make every cluster a contiguous range, so one pass of prefix sums gives all means.
        double[] sorted = values.ToArray();
        Array.Sort(sorted);
        var prefix = new double[sorted.Length + 1];
        for (int i = 0; i < sorted.Length; i++)
        {
            prefix[i + 1] = prefix[i] + sorted[i];
        }

        double min = sorted[0];
        double max = sorted[^1];
        for (int c = 0; c < clusters; c++)
        {
            centroids[c] = clusters == 1 ? (min + max) / 2 : min + ((max - min) * c / (clusters - 1));
        }

        var bounds = new int[clusters + 1];
        var previous = new int[clusters + 1];
        for (int iteration = 0; iteration < maxIterations; iteration++)
        {
            bounds[0] = 0;
            bounds[clusters] = sorted.Length;
            for (int c = 0; c < clusters - 1; c++)
            {
                bounds[c + 1] = UpperBound(sorted, (centroids[c] + centroids[c + 1]) / 2);
            }

            if (iteration > 0 && bounds.AsSpan().SequenceEqual(previous))
            {
                break;
            }

            bounds.CopyTo(previous, 0);
            for (int c = 0; c < clusters; c++)
            {
                int count = bounds[c + 1] - bounds[c];
                if (count > 0)
                {
                    centroids[c] = (prefix[bounds[c + 1]] - prefix[bounds[c]]) / count;
                }
            }

            Array.Sort(centroids); // an empty cluster's stale centroid could otherwise fall out of order
        }

        return centroids;
    }

    /// <summary>Index of the centroid nearest to <paramref name="value"/> in ascending <paramref name="centroids"/> (the lower one at a tie).</summary>
    public static int NearestCentroid(ReadOnlySpan<double> centroids, double value)
    {
        for (int c = 0; c < centroids.Length - 1; c++)
        {
            if (value <= (centroids[c] + centroids[c + 1]) / 2)
            {
                return c;
            }
        }

        return centroids.Length - 1;
    }

    /// <summary>
    /// The codebook of one layer: its nonzero weights clustered into <see cref="SharedValueCount"/>
    /// shared values (entries 1..15, ascending); weights that are exactly zero get index 0.
    /// </summary>
    public static WeightCodebook Build(ReadOnlySpan<float> weights, int maxIterations = DefaultMaxIterations)
    {
        var nonzero = new List<double>();
        foreach (float w in weights)
        {
            if (w != 0f)
            {
                nonzero.Add(w);
            }
        }

        double[] centroids = Cluster(nonzero.ToArray(), SharedValueCount, maxIterations);
        var table = new float[CcsEntry.CodebookSize];
        for (int c = 0; c < centroids.Length; c++)
        {
            table[c + 1] = (float)centroids[c];
        }

        var indices = new byte[weights.Length];
        for (int i = 0; i < weights.Length; i++)
        {
            if (weights[i] != 0f)
            {
                indices[i] = (byte)(NearestCentroid(centroids, weights[i]) + 1);
            }
        }

        return new WeightCodebook(table, indices);
    }

    /// <summary>Builds a codebook for every layer of <paramref name="model"/> and replaces its weights with their shared values.</summary>
    public static WeightCodebook[] ShareWeights(DenseMlp model, int maxIterations = DefaultMaxIterations)
    {
        var codebooks = new WeightCodebook[model.LayerCount];
        for (int l = 0; l < model.LayerCount; l++)
        {
            codebooks[l] = Build(model.Weights[l], maxIterations);
            codebooks[l].Decode(model.Weights[l]);
        }

        return codebooks;
    }

    /// <summary>First index whose value is greater than <paramref name="limit"/> in ascending <paramref name="sorted"/>.</summary>
    private static int UpperBound(double[] sorted, double limit)
    {
        int low = 0;
        int high = sorted.Length;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (sorted[middle] <= limit)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}
