namespace CoDesign.Compression;

/// <summary>
/// Which weights of a <see cref="DenseMlp"/> survive pruning: per layer, one flag per weight in the
/// layer's row-major order. Training with a mask keeps every pruned weight at exactly zero.
/// </summary>
public sealed class WeightMask
{
    private readonly bool[][] _keep;

    /// <summary>Creates a mask from per-layer keep flags (copied).</summary>
    public WeightMask(IReadOnlyList<bool[]> keep)
    {
        ArgumentOutOfRangeException.ThrowIfZero(keep.Count);
        _keep = [.. keep.Select(layer => (bool[])layer.Clone())];
    }

    /// <summary>Number of layers.</summary>
    public int LayerCount => _keep.Length;

    /// <summary>A mask that keeps exactly the weights of <paramref name="model"/> that are nonzero.</summary>
    public static WeightMask FromNonzeros(DenseMlp model) =>
        new([.. model.Weights.Select(w => w.Select(value => value != 0f).ToArray())]);

    /// <summary>A mask that keeps every weight of <paramref name="model"/>.</summary>
    public static WeightMask KeepAll(DenseMlp model) =>
        new([.. model.Weights.Select(w => Enumerable.Repeat(true, w.Length).ToArray())]);

    /// <summary>The keep flags of layer <paramref name="layer"/>.</summary>
    public ReadOnlySpan<bool> Layer(int layer) => _keep[layer];

    /// <summary>Whether weight <paramref name="index"/> (row-major) of layer <paramref name="layer"/> is kept.</summary>
    public bool IsKept(int layer, int index) => _keep[layer][index];

    /// <summary>Number of kept weights in layer <paramref name="layer"/>.</summary>
    public long KeptCount(int layer) => _keep[layer].AsSpan().Count(true);

    /// <summary>Fraction of layer <paramref name="layer"/>'s weights that are kept.</summary>
    public double DensityOf(int layer) => (double)KeptCount(layer) / _keep[layer].Length;

    /// <summary>Fraction of all weights that are kept.</summary>
    public double Density => (double)Enumerable.Range(0, LayerCount).Sum(KeptCount) / _keep.Sum(k => (long)k.Length);

    /// <summary>Sets every weight of <paramref name="model"/> that the mask prunes to zero.</summary>
    public void Apply(DenseMlp model)
    {
        CheckShape(model);
        for (int l = 0; l < LayerCount; l++)
        {
            float[] w = model.Weights[l];
            bool[] keep = _keep[l];
            for (int i = 0; i < w.Length; i++)
            {
                if (!keep[i])
                {
                    w[i] = 0f;
                }
            }
        }
    }

    /// <summary>Throws unless the mask has one flag per weight of <paramref name="model"/>.</summary>
    public void CheckShape(DenseMlp model)
    {
        if (model.LayerCount != LayerCount || Enumerable.Range(0, LayerCount).Any(l => model.Weights[l].Length != _keep[l].Length))
        {
            throw new ArgumentException("the mask does not have the shape of the network's weights", nameof(model));
        }
    }

    /// <summary>Per layer, 1 for kept and 0 for pruned weights: multiplying by it is the SIMD way to apply the mask.</summary>
    internal float[][] ToMultipliers() => [.. _keep.Select(layer => layer.Select(k => k ? 1f : 0f).ToArray())];
}
