using CoDesign.Kernels;

namespace CoDesign.Model;

/// <summary>
/// The quantized model evaluated the plainest way: every layer decoded to a dense matrix of codebook
/// values and multiplied row by row. Every backend must match it bit for bit.
/// </summary>
public sealed class DenseIntegerReference
{
    private readonly SparseModel _model;
    private readonly short[][] _denseWeights;

    /// <summary>Decodes the model's layers once.</summary>
    public DenseIntegerReference(SparseModel model)
    {
        _model = model;
        _denseWeights = model.Layers.Select(layer =>
        {
            byte[] indices = layer.Weights.DecodeIndices();
            var dense = new short[indices.Length];
            for (int i = 0; i < indices.Length; i++)
            {
                dense[i] = layer.Codebook[indices[i]];
            }

            return dense;
        }).ToArray();
    }

    /// <summary>The last layer's outputs for one input (raw 32-bit values, or 8-bit activations widened).</summary>
    public int[] Forward(ReadOnlySpan<byte> input)
    {
        if (input.Length != _model.InputSize)
        {
            throw new ArgumentException($"input has {input.Length} values, the model takes {_model.InputSize}", nameof(input));
        }

        byte[] x = input.ToArray();
        int[] result = [];
        for (int l = 0; l < _model.Layers.Count; l++)
        {
            SparseLayer layer = _model.Layers[l];
            short[] w = _denseWeights[l];
            var y = new int[layer.Rows];
            for (int i = 0; i < layer.Rows; i++)
            {
                int acc = 0;
                for (int j = 0; j < layer.Cols; j++)
                {
                    acc = unchecked(acc + (w[(i * layer.Cols) + j] * x[j]));
                }

                y[i] = unchecked(acc + layer.Bias[i]);
            }

            if (layer.Output == LayerOutput.Raw32)
            {
                result = y;
                break;
            }

            x = y.Select(v => Requantizer.ReluShiftSaturate(v, layer.OutputShift)).ToArray();
            result = x.Select(v => (int)v).ToArray();
        }

        return result;
    }

    /// <summary>Index of the largest output (the first on ties).</summary>
    public static int ArgMax(ReadOnlySpan<int> outputs)
    {
        int best = 0;
        for (int i = 1; i < outputs.Length; i++)
        {
            if (outputs[i] > outputs[best])
            {
                best = i;
            }
        }

        return best;
    }

    /// <summary>The predicted class of one input.</summary>
    public int Classify(ReadOnlySpan<byte> input) => ArgMax(Forward(input));
}
