using System.Globalization;
using CoDesign.Kernels;
using CoDesign.Model;

namespace CoDesign.TestSupport;

/// <summary>Random compressed models with known seeds: the one generator the tests and benchmarks share.</summary>
public static class RandomSparseModel
{
    /// <summary>
    /// A model with the given layer widths (input first): random sparse codebook indices at about
    /// <paramref name="density"/>, codebooks over the whole int16 range (each with <see cref="short.MinValue"/>
    /// once), random biases (now and then near the int32 extremes, so sums wrap) and shifts that keep
    /// hidden activations spread over 0..255. The last layer emits raw 32-bit sums unless
    /// <paramref name="reluLast"/>. The metadata records seed and density (and a non-ASCII note, so
    /// model files carry UTF-8). The same arguments give the same model.
    /// </summary>
    public static SparseModel Create(int seed, int[] widths, double density, int peCount = 4, string? name = null, bool reluLast = false)
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
                codebook[c] = (short)random.Next(short.MinValue, short.MaxValue + 1);
            }

            codebook[1 + random.Next(15)] = short.MinValue;
            int[] bias = Enumerable.Range(0, rows)
                .Select(_ => random.Next(8) == 0 ? random.Next(int.MinValue, int.MaxValue) : random.Next(-1 << 20, 1 << 20))
                .ToArray();
            bool raw = l + 2 == widths.Length && !reluLast;

            // A typical |sum| is about sqrt(nonzeros per row) x 19,000 x 128: shift it down to about 100.
            double typical = Math.Sqrt(Math.Max(1, cols * density)) * 19_000 * 128;
            int shift = Math.Clamp((int)Math.Round(Math.Log2(typical / 100)), 0, 31);
            layers.Add(new SparseLayer(
                CcsMatrix.Encode(indices, rows, cols, peCount),
                codebook,
                bias,
                raw ? LayerOutput.Raw32 : LayerOutput.ReluActivations8,
                raw ? 0 : shift,
                1f / 4096));
        }

        var metadata = new Dictionary<string, string>
        {
            ["seed"] = seed.ToString(CultureInfo.InvariantCulture),
            ["density"] = "approximately " + density.ToString(CultureInfo.InvariantCulture),
            ["note"] = "unicode \u00e9\u4e2d",
        };
        return new SparseModel(name ?? $"random{seed}", widths[0], layers, metadata);
    }

    /// <summary><paramref name="count"/> inputs of <paramref name="size"/> bytes, about half of them zero (as images' dark pixels are); the same seed gives the same inputs.</summary>
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
}
