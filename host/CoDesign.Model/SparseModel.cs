namespace CoDesign.Model;

/// <summary>
/// A compressed network: a chain of <see cref="SparseLayer"/>s taking unsigned 8-bit inputs. The
/// output of stage "compress" and the input of stage "compile".
/// </summary>
public sealed class SparseModel
{
    /// <summary>Creates a model and checks that the layers chain: each layer's inputs are the previous layer's outputs.</summary>
    public SparseModel(string name, int inputSize, IReadOnlyList<SparseLayer> layers, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputSize);
        ArgumentOutOfRangeException.ThrowIfZero(layers.Count);
        int expected = inputSize;
        for (int l = 0; l < layers.Count; l++)
        {
            if (layers[l].Cols != expected)
            {
                throw new ArgumentException($"layer {l} takes {layers[l].Cols} inputs but receives {expected}", nameof(layers));
            }

            if (l < layers.Count - 1 && layers[l].Output != LayerOutput.ReluActivations8)
            {
                throw new ArgumentException($"layer {l} emits raw 32-bit values; only the last layer may", nameof(layers));
            }

            expected = layers[l].Rows;
        }

        Name = name;
        InputSize = inputSize;
        Layers = layers;
        Metadata = metadata ?? new Dictionary<string, string>();
    }

    /// <summary>Model name, shown by the tools.</summary>
    public string Name { get; }

    /// <summary>Number of unsigned 8-bit inputs.</summary>
    public int InputSize { get; }

    /// <summary>The layers, input first.</summary>
    public IReadOnlyList<SparseLayer> Layers { get; }

    /// <summary>Free-form facts recorded by the tool that made the model (accuracy, density, seed).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Number of outputs of the last layer.</summary>
    public int OutputSize => Layers[^1].Rows;

    /// <summary>PE count the layers are interleaved for (all layers share it).</summary>
    public int PeCount => Layers[0].Weights.PeCount;

    /// <summary>The same model interleaved over <paramref name="peCount"/> PEs.</summary>
    public SparseModel Repartition(int peCount) =>
        peCount == PeCount && Layers.All(l => l.Weights.PeCount == peCount)
            ? this
            : new SparseModel(Name, InputSize, Layers.Select(l => l.Repartition(peCount)).ToArray(), Metadata);
}
