namespace CoDesign.Model.Tests;

/// <summary>A model for the tests small enough to compute by hand, and checks on models (random ones come from <see cref="CoDesign.TestSupport.RandomSparseModel"/>).</summary>
public static class TestModels
{
    /// <summary>
    /// Two layers: 3 inputs -> 4 ReLU activations (shift 1) on 2 PEs -> 2 raw outputs on 3 PEs (more PEs than rows).
    /// Layer 1 codebook [0, 2, -3, 5, 100], layer 2 codebook [0, 1, -1, 7]; see <see cref="DenseIntegerReferenceTests"/>.
    /// </summary>
    public static SparseModel HandMade()
    {
        byte[] w1 =
        [
            1, 0, 2,
            3, 3, 0,
            2, 2, 2,
            4, 4, 0,
        ];
        var layer1 = new SparseLayer(
            CcsMatrix.Encode(w1, 4, 3, 2),
            Codebook(0, 2, -3, 5, 100),
            [1, -4, 0, 0],
            LayerOutput.ReluActivations8,
            outputShift: 1,
            weightScale: 0.25f);

        byte[] w2 =
        [
            1, 2, 3, 1,
            3, 0, 0, 2,
        ];
        var layer2 = new SparseLayer(
            CcsMatrix.Encode(w2, 2, 4, 3),
            Codebook(0, 1, -1, 7),
            [100, -1000],
            LayerOutput.Raw32,
            outputShift: 0,
            weightScale: 1.5f);

        return new SparseModel("hand-made", 3, [layer1, layer2], new Dictionary<string, string> { ["purpose"] = "tests" });
    }

    /// <summary>A 16-entry codebook starting with the given values, zero after them.</summary>
    public static short[] Codebook(params short[] first)
    {
        var codebook = new short[16];
        first.CopyTo(codebook, 0);
        return codebook;
    }

    /// <summary>Asserts that two models agree in every field, slices included.</summary>
    public static void AssertEqual(SparseModel expected, SparseModel actual)
    {
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.InputSize, actual.InputSize);
        Assert.Equal(expected.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal), actual.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(expected.Layers.Count, actual.Layers.Count);
        for (int l = 0; l < expected.Layers.Count; l++)
        {
            SparseLayer e = expected.Layers[l];
            SparseLayer a = actual.Layers[l];
            Assert.Equal(e.Rows, a.Rows);
            Assert.Equal(e.Cols, a.Cols);
            Assert.Equal(e.Output, a.Output);
            Assert.Equal(e.OutputShift, a.OutputShift);
            Assert.Equal(BitConverter.SingleToInt32Bits(e.WeightScale), BitConverter.SingleToInt32Bits(a.WeightScale));
            Assert.Equal(e.Codebook, a.Codebook);
            Assert.Equal(e.Bias, a.Bias);
            Assert.Equal(e.Weights.PeCount, a.Weights.PeCount);
            for (int pe = 0; pe < e.Weights.PeCount; pe++)
            {
                Assert.Equal(e.Weights.Slices[pe].Entries, a.Weights.Slices[pe].Entries);
                Assert.Equal(e.Weights.Slices[pe].Pointers, a.Weights.Slices[pe].Pointers);
            }
        }
    }
}
