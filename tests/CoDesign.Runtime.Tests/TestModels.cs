using CoDesign.Model;

namespace CoDesign.Runtime.Tests;

/// <summary>Random inputs with known seeds and the reference's outputs (random models come from <see cref="CoDesign.TestSupport.RandomSparseModel"/>).</summary>
internal static class TestModels
{
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
