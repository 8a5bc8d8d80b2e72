using CoDesign.Model;

namespace CoDesign.Runtime.Tests;

/// <summary>The reference's outputs (random models and inputs come from <see cref="CoDesign.TestSupport.RandomSparseModel"/>).</summary>
internal static class TestModels
{
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
