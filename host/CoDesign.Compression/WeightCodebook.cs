using CoDesign.Kernels;

namespace CoDesign.Compression;

/// <summary>
/// One layer's weights under weight sharing: every weight is a 4-bit index into 16 shared values,
/// and index 0 is reserved for exact zero (pruned weights and CCS padding).
/// </summary>
public sealed class WeightCodebook
{
    /// <summary>Creates a codebook; <paramref name="centroids"/> has 16 entries with entry 0 equal to zero, indices are 0..15.</summary>
    public WeightCodebook(float[] centroids, byte[] indices)
    {
        if (centroids.Length != CcsEntry.CodebookSize)
        {
            throw new ArgumentException($"a codebook has {CcsEntry.CodebookSize} entries, not {centroids.Length}", nameof(centroids));
        }

        if (centroids[0] != 0f)
        {
            throw new ArgumentException($"codebook entry 0 must be zero, not {centroids[0]}", nameof(centroids));
        }

        int bad = Array.FindIndex(indices, i => i >= CcsEntry.CodebookSize);
        if (bad >= 0)
        {
            throw new ArgumentException($"index {indices[bad]} at weight {bad} does not fit 4 bits", nameof(indices));
        }

        Centroids = centroids;
        Indices = indices;
    }

    /// <summary>The 16 shared values; entry 0 is zero. Fine-tuning changes entries 1..15 in place.</summary>
    public float[] Centroids { get; }

    /// <summary>Codebook index per weight, in the layer's row-major order; 0 means the weight is zero.</summary>
    public byte[] Indices { get; }

    /// <summary>Number of weights with a nonzero index.</summary>
    public long NonzeroCount => Indices.Length - Indices.AsSpan().Count((byte)0);

    /// <summary>Writes the shared value of every weight into <paramref name="weights"/>.</summary>
    public void Decode(Span<float> weights)
    {
        if (weights.Length != Indices.Length)
        {
            throw new ArgumentException($"{weights.Length} weights for a codebook of {Indices.Length} indices", nameof(weights));
        }

        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = Centroids[Indices[i]];
        }
    }

    /// <summary>The weights this codebook stands for.</summary>
    public float[] Decode()
    {
        var weights = new float[Indices.Length];
        Decode(weights);
        return weights;
    }
}
