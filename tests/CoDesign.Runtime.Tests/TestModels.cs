using CoDesign.Kernels;
using CoDesign.Model;

namespace CoDesign.Runtime.Tests;

/// <summary>Random compressed models and inputs with known seeds.</summary>
internal static class TestModels
{
    /// <summary>A model with the given layer widths (input first), random sparse indices, codebooks, biases and shifts.</summary>
    public static SparseModel Random(int seed, int[] widths, double density, int peCount = 4, string name = "random")
    {
        var random = new Random(seed);
        var layers = new List<SparseLayer>();
        for (int l = 0; l + 1 < widths.Length; l++)
        {
            int cols = widths[l];
            int rows = widths[l + 1];
            var indices = new byte[rows * cols];
            for (int i = 0; i < indices.Length; i++)
            {
                indices[i] = random.NextDouble() < density ? (byte)random.Next(1, 16) : (byte)0;
            }

            var codebook = new short[CcsEntry.CodebookSize];
            for (int c = 1; c < codebook.Length; c++)
            {
                codebook[c] = (short)random.Next(-3000, 3000);
            }

            var bias = Enumerable.Range(0, rows).Select(_ => random.Next(-50_000, 50_000)).ToArray();
            bool last = l + 2 == widths.Length;
            layers.Add(new SparseLayer(
                CcsMatrix.Encode(indices, rows, cols, peCount),
                codebook,
                bias,
                last ? LayerOutput.Raw32 : LayerOutput.ReluActivations8,
                last ? 0 : 12,
                1f / 4096));
        }

        return new SparseModel(name, widths[0], layers);
    }

    /// <summary><paramref name="count"/> inputs of <paramref name="size"/> bytes, about half of them zero.</summary>
    public static byte[] Inputs(int seed, int count, int size)
    {
        var random = new Random(seed);
        var inputs = new byte[count * size];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = random.Next(2) == 0 ? (byte)0 : (byte)random.Next(1, 256);
        }

        return inputs;
    }

    /// <summary>The dense reference's outputs for every input, concatenated.</summary>
    public static int[] Reference(SparseModel model, byte[] inputs)
    {
        var reference = new DenseIntegerReference(model);
        int count = inputs.Length / model.InputSize;
        return Enumerable.Range(0, count)
            .SelectMany(i => reference.Forward(inputs.AsSpan(i * model.InputSize, model.InputSize)))
            .ToArray();
    }
}
