using System.Numerics;
using System.Numerics.Tensors;

namespace CoDesign.Compression;

/// <summary>
/// Forward and backward pass of a <see cref="DenseMlp"/> over one minibatch with softmax
/// cross-entropy loss, leaving the gradients of every weight and bias in buffers sized once.
/// </summary>
internal sealed class Backpropagation
{
    private readonly DenseMlp _model;
    private readonly int _batchSize;
    private readonly DenseMlp.ForwardBuffers _forward;
    private readonly float[][] _deltas;      // dLoss/dPreActivation per layer, batch x outputs
    private readonly float[][] _deltasT;     // the same transposed, outputs x batch
    private readonly float[] _inputT;        // a layer's input transposed, inputs x batch
    private readonly float[] _weightsT;      // a layer's weights transposed, inputs x outputs
    private readonly float[] _probabilities;

    public Backpropagation(DenseMlp model, int batchSize)
    {
        _model = model;
        _batchSize = batchSize;
        _forward = new DenseMlp.ForwardBuffers(model, batchSize);
        _deltas = [.. model.LayerSizes.Skip(1).Select(size => new float[batchSize * size])];
        _deltasT = [.. model.LayerSizes.Skip(1).Select(size => new float[batchSize * size])];
        _inputT = new float[batchSize * model.LayerSizes.SkipLast(1).Max()];
        _weightsT = new float[model.Weights.Max(w => w.Length)];
        _probabilities = new float[model.OutputSize];
        WeightGradients = [.. model.Weights.Select(w => new float[w.Length])];
        BiasGradients = [.. model.Biases.Select(b => new float[b.Length])];
    }

    /// <summary>Gradient of the batch's mean loss with respect to each layer's weights.</summary>
    public float[][] WeightGradients { get; }

    /// <summary>Gradient of the batch's mean loss with respect to each layer's biases.</summary>
    public float[][] BiasGradients { get; }

    /// <summary>The network input of the batch, <c>batch x inputs</c>: fill its first rows before <see cref="Run"/>.</summary>
    public float[] Input => _forward.Activations[0];

    /// <summary>
    /// Runs the first <paramref name="count"/> rows of <see cref="Input"/> with their labels through
    /// the network and back. Returns the summed loss and the number of correct predictions.
    /// </summary>
    public (double LossSum, int Correct) Run(ReadOnlySpan<byte> labels, int count)
    {
        if (count < 1 || count > _batchSize)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"batch holds 1..{_batchSize} images");
        }

        float[] logits = _model.Forward(_forward, count, parallel: true);
        int classes = _model.OutputSize;
        float[] delta = _deltas[^1];
        double lossSum = 0;
        int correct = 0;
        float inverseCount = 1f / count;
        for (int b = 0; b < count; b++)
        {
            ReadOnlySpan<float> z = logits.AsSpan(b * classes, classes);
            int label = labels[b];
            int predicted = TensorPrimitives.IndexOfMax(z);
            correct += predicted == label ? 1 : 0;

            // Log-sum-exp with the maximum subtracted keeps exp() finite for any logits.
            float max = z[predicted];
            TensorPrimitives.Subtract(z, max, _probabilities);
            TensorPrimitives.Exp(_probabilities, _probabilities);
            float sum = TensorPrimitives.Sum(_probabilities);
            lossSum += Math.Log(sum) - (z[label] - max);

            Span<float> d = delta.AsSpan(b * classes, classes);
            TensorPrimitives.Multiply(_probabilities, inverseCount / sum, d);
            d[label] -= inverseCount;
        }

        for (int l = _model.LayerCount - 1; l >= 0; l--)
        {
            Backward(l, count);
        }

        return (lossSum, correct);
    }

    /// <summary>Gradients of layer <paramref name="layer"/> from its deltas; then the deltas of the layer below.</summary>
    private void Backward(int layer, int count)
    {
        int inputs = _model.InputsOf(layer);
        int outputs = _model.OutputsOf(layer);
        float[] delta = _deltas[layer];

        // dW[o, i] = sum_b delta[b, o] * input[b, i]: a product of the two transposes, rows of length batch.
        MatrixKernels.Transpose(delta, count, outputs, _deltasT[layer]);
        MatrixKernels.Transpose(_forward.Activations[layer], count, inputs, _inputT);
        MatrixKernels.MultiplyTransposed(_deltasT[layer], _inputT, WeightGradients[layer], outputs, inputs, count, parallel: true);

        Span<float> biasGradient = BiasGradients[layer];
        biasGradient.Clear();
        for (int b = 0; b < count; b++)
        {
            TensorPrimitives.Add(biasGradient, delta.AsSpan(b * outputs, outputs), biasGradient);
        }

        if (layer == 0)
        {
            return; // nothing learns from the gradient of the network input
        }

        // dInput[b, i] = sum_o delta[b, o] * W[o, i] = delta · (Wᵀ)ᵀ; then through the ReLU below.
        MatrixKernels.Transpose(_model.Weights[layer], outputs, inputs, _weightsT);
        float[] below = _deltas[layer - 1];
        MatrixKernels.MultiplyTransposed(delta, _weightsT, below, count, inputs, outputs, parallel: true);
        MaskByPositive(below.AsSpan(0, count * inputs), _forward.PreActivations[layer - 1].AsSpan(0, count * inputs));
    }

    /// <summary>ReLU's derivative: zero the gradient wherever the pre-activation was not positive.</summary>
    private static void MaskByPositive(Span<float> gradient, ReadOnlySpan<float> preActivation)
    {
        int width = Vector<float>.Count;
        int i = 0;
        for (; i <= gradient.Length - width; i += width)
        {
            var z = new Vector<float>(preActivation[i..]);
            var g = new Vector<float>(gradient[i..]);
            Vector.ConditionalSelect(Vector.GreaterThan(z, Vector<float>.Zero), g, Vector<float>.Zero).CopyTo(gradient[i..]);
        }

        for (; i < gradient.Length; i++)
        {
            if (preActivation[i] <= 0)
            {
                gradient[i] = 0;
            }
        }
    }
}
