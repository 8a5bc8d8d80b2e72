using System.Numerics.Tensors;
using CoDesign.Model.Datasets;

namespace CoDesign.Compression;

/// <summary>
/// A float multilayer perceptron: fully connected layers with ReLU between them and raw logits at the
/// end. Layer <c>l</c> maps <c>LayerSizes[l]</c> inputs to <c>LayerSizes[l+1]</c> outputs; its
/// weights are row-major <c>[outputs x inputs]</c>. Inputs are image pixels divided by 255.
/// </summary>
/// <remarks>
/// The weight and bias arrays are exposed and mutable on purpose: the trainer, the pruner and the
/// codebook stages all work on them in place. A weight that is exactly zero is a pruned weight.
/// </remarks>
public sealed class DenseMlp
{
    /// <summary>Images per batch when evaluating many images: big enough for the matrix kernels to run at speed.</summary>
    private const int EvaluationBatch = 256;

    /// <summary>Creates a network of the given layer sizes (input first, output last) with all parameters zero.</summary>
    public DenseMlp(IReadOnlyList<int> layerSizes)
    {
        if (layerSizes.Count < 2)
        {
            throw new ArgumentException("a network needs at least an input size and an output size", nameof(layerSizes));
        }

        foreach (int size in layerSizes)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size, nameof(layerSizes));
        }

        LayerSizes = [.. layerSizes];
        var weights = new float[layerSizes.Count - 1][];
        var biases = new float[layerSizes.Count - 1][];
        for (int l = 0; l < weights.Length; l++)
        {
            weights[l] = new float[(long)layerSizes[l] * layerSizes[l + 1]];
            biases[l] = new float[layerSizes[l + 1]];
        }

        Weights = weights;
        Biases = biases;
    }

    /// <summary>Sizes of the input, every hidden layer and the output, in order.</summary>
    public IReadOnlyList<int> LayerSizes { get; }

    /// <summary>Weights per layer, row-major <c>[outputs x inputs]</c>.</summary>
    public IReadOnlyList<float[]> Weights { get; }

    /// <summary>Biases per layer, one per output.</summary>
    public IReadOnlyList<float[]> Biases { get; }

    /// <summary>Number of weight layers.</summary>
    public int LayerCount => Weights.Count;

    /// <summary>Number of inputs (pixels per image).</summary>
    public int InputSize => LayerSizes[0];

    /// <summary>Number of outputs (classes).</summary>
    public int OutputSize => LayerSizes[^1];

    /// <summary>Total number of weights, biases excluded.</summary>
    public long WeightCount => Weights.Sum(w => (long)w.Length);

    /// <summary>Number of weights that are not zero, over all layers.</summary>
    public long NonzeroWeightCount => Enumerable.Range(0, LayerCount).Sum(NonzeroWeightCountOf);

    /// <summary>
    /// A network with He-initialised weights (normal, variance 2 / inputs, suited to ReLU) and zero
    /// biases, drawn from a generator seeded with <paramref name="seed"/>.
    /// </summary>
    public static DenseMlp CreateRandom(IReadOnlyList<int> layerSizes, int seed)
    {
        var model = new DenseMlp(layerSizes);
        var random = new Random(seed);
        for (int l = 0; l < model.LayerCount; l++)
        {
            float deviation = MathF.Sqrt(2f / layerSizes[l]);
            float[] w = model.Weights[l];
            for (int i = 0; i < w.Length; i++)
            {
                w[i] = (float)(NextGaussian(random) * deviation);
            }
        }

        return model;
    }

    /// <summary>A standard normal sample (Box-Muller), from a seeded generator so initialisation is reproducible.</summary>
    internal static double NextGaussian(Random random)
    {
        double u1 = 1.0 - random.NextDouble(); // in (0, 1], so the logarithm is finite
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Number of inputs of layer <paramref name="layer"/>.</summary>
    public int InputsOf(int layer) => LayerSizes[layer];

    /// <summary>Number of outputs of layer <paramref name="layer"/>.</summary>
    public int OutputsOf(int layer) => LayerSizes[layer + 1];

    /// <summary>Number of nonzero weights of layer <paramref name="layer"/>.</summary>
    public long NonzeroWeightCountOf(int layer) => Weights[layer].Length - Weights[layer].AsSpan().Count(0f);

    /// <summary>Fraction of layer <paramref name="layer"/>'s weights that are nonzero.</summary>
    public double DensityOf(int layer) => (double)NonzeroWeightCountOf(layer) / Weights[layer].Length;

    /// <summary>Fraction of all weights that are nonzero.</summary>
    public double Density => (double)NonzeroWeightCount / WeightCount;

    /// <summary>A deep copy.</summary>
    public DenseMlp Clone()
    {
        var copy = new DenseMlp(LayerSizes);
        for (int l = 0; l < LayerCount; l++)
        {
            Weights[l].CopyTo(copy.Weights[l], 0);
            Biases[l].CopyTo(copy.Biases[l], 0);
        }

        return copy;
    }

    /// <summary>The raw outputs for one image of <see cref="InputSize"/> pixels.</summary>
    public float[] Logits(ReadOnlySpan<byte> image)
    {
        CheckImageSize(image.Length);
        float[] x = new float[image.Length];
        ScalePixels(image, x);
        for (int l = 0; l < LayerCount; l++)
        {
            int inputs = InputsOf(l);
            var y = new float[OutputsOf(l)];
            for (int o = 0; o < y.Length; o++)
            {
                y[o] = TensorPrimitives.Dot(Weights[l].AsSpan(o * inputs, inputs), x) + Biases[l][o];
            }

            if (l < LayerCount - 1)
            {
                TensorPrimitives.Max(y, 0f, y);
            }

            x = y;
        }

        return x;
    }

    /// <summary>The predicted class of one image: the index of the largest logit (the first on ties).</summary>
    public int Predict(ReadOnlySpan<byte> image) => TensorPrimitives.IndexOfMax(Logits(image));

    /// <summary>Fraction of <paramref name="data"/> classified correctly, evaluated in batches on all cores.</summary>
    public double Accuracy(LabeledImages data) => (double)Predictions(data).Where((p, i) => p == data.Labels[i]).Count() / data.Count;

    /// <summary>The predicted class of every image in <paramref name="data"/>, evaluated in batches on all cores.</summary>
    public int[] Predictions(LabeledImages data)
    {
        CheckImageSize(data.ImageSize);
        var predictions = new int[data.Count];
        int batches = (data.Count + EvaluationBatch - 1) / EvaluationBatch;
        // Batches run side by side with serial products inside: coarse tasks, no nested parallelism.
        Parallel.For(0, batches, () => new ForwardBuffers(this, EvaluationBatch), (batch, _, buffers) =>
        {
            int first = batch * EvaluationBatch;
            int count = Math.Min(EvaluationBatch, data.Count - first);
            ScalePixels(data.Pixels.AsSpan(first * data.ImageSize, count * data.ImageSize), buffers.Activations[0]);
            float[] logits = Forward(buffers, count, parallel: false);
            for (int i = 0; i < count; i++)
            {
                predictions[first + i] = TensorPrimitives.IndexOfMax(logits.AsSpan(i * OutputSize, OutputSize));
            }

            return buffers;
        }, _ => { });
        return predictions;
    }

    /// <summary>Pixels 0..255 to network inputs 0..1.</summary>
    internal static void ScalePixels(ReadOnlySpan<byte> pixels, Span<float> inputs)
    {
        for (int i = 0; i < pixels.Length; i++)
        {
            inputs[i] = pixels[i] * (1f / 255f);
        }
    }

    /// <summary>
    /// Runs <paramref name="count"/> inputs (already in <c>buffers.Activations[0]</c>) through the
    /// network, keeping every layer's pre-activations and activations for backpropagation. Returns
    /// the logits array (<c>count x OutputSize</c>).
    /// </summary>
    internal float[] Forward(ForwardBuffers buffers, int count, bool parallel)
    {
        for (int l = 0; l < LayerCount; l++)
        {
            int inputs = InputsOf(l);
            int outputs = OutputsOf(l);
            float[] z = buffers.PreActivations[l];
            MatrixKernels.MultiplyTransposed(buffers.Activations[l], Weights[l], z, count, outputs, inputs, parallel);
            for (int b = 0; b < count; b++)
            {
                Span<float> row = z.AsSpan(b * outputs, outputs);
                TensorPrimitives.Add(row, Biases[l], row);
            }

            if (l < LayerCount - 1)
            {
                TensorPrimitives.Max(z.AsSpan(0, count * outputs), 0f, buffers.Activations[l + 1].AsSpan(0, count * outputs));
            }
        }

        return buffers.PreActivations[^1];
    }

    private void CheckImageSize(int size)
    {
        if (size != InputSize)
        {
            throw new ArgumentException($"images have {size} pixels, the network takes {InputSize}");
        }
    }

    /// <summary>Per-layer buffers for a batch: inputs/activations (index 0 = network input) and pre-activations.</summary>
    internal sealed class ForwardBuffers
    {
        public ForwardBuffers(DenseMlp model, int batchSize)
        {
            Activations = [.. model.LayerSizes.SkipLast(1).Select(size => new float[batchSize * size])];
            PreActivations = [.. model.LayerSizes.Skip(1).Select(size => new float[batchSize * size])];
        }

        /// <summary>Layer inputs: <c>Activations[l]</c> feeds layer l.</summary>
        public float[][] Activations { get; }

        /// <summary>Layer outputs before ReLU; the last one holds the logits.</summary>
        public float[][] PreActivations { get; }
    }
}
