using CoDesign.Kernels;
using CoDesign.TestSupport;

namespace CoDesign.Model.Tests;

/// <summary>The dense integer reference on a model small enough to compute by hand, and against the kernels.</summary>
public sealed class DenseIntegerReferenceTests
{
    [Fact]
    public void HandComputedTwoLayerModel()
    {
        // Layer 1 (codebook 1->2, 2->-3, 3->5, 4->100; bias [1, -4, 0, 0]; ReLU; shift 1 rounding half up), x = [10, 7, 4]:
        //   row 0: 2*10 + (-3)*4 = 8, +1 = 9   -> (9 + 1) >> 1 = 5
        //   row 1: 5*10 + 5*7 = 85, -4 = 81   -> (81 + 1) >> 1 = 41
        //   row 2: -3*(10 + 7 + 4) = -63       -> ReLU -> 0
        //   row 3: 100*10 + 100*7 = 1700       -> 850 -> saturates to 255
        // Layer 2 (codebook 1->1, 2->-1, 3->7; bias [100, -1000]; raw), a = [5, 41, 0, 255]:
        //   row 0: 5 - 41 + 7*0 + 255 = 219, +100 = 319
        //   row 1: 7*5 + (-1)*255 = -220, -1000 = -1220
        var reference = new DenseIntegerReference(TestModels.HandMade());
        Assert.Equal([319, -1220], reference.Forward([10, 7, 4]));
        Assert.Equal(0, reference.Classify([10, 7, 4]));

        // x = 0: layer 1 = [(1+1)>>1 = 1, ReLU(-4) = 0, 0, 0]; layer 2 = [1 + 100, 7 - 1000].
        Assert.Equal([101, -993], reference.Forward([0, 0, 0]));

        // x = [0, 0, 255]: layer 1 = [(-765+1) -> 0, 0, -765 -> 0, 0] -> layer 2 = bias only.
        Assert.Equal([100, -1000], reference.Forward([0, 0, 255]));
    }

    [Fact]
    public void AReluLastLayerReturnsTheActivations()
    {
        SparseModel twoLayers = TestModels.HandMade();
        var firstOnly = new SparseModel("first", 3, [twoLayers.Layers[0]]);
        Assert.Equal([5, 41, 0, 255], new DenseIntegerReference(firstOnly).Forward([10, 7, 4]));
        Assert.Equal(3, new DenseIntegerReference(firstOnly).Classify([10, 7, 4]));
    }

    [Fact]
    public void ArgMaxTakesTheFirstOfEqualMaxima()
    {
        Assert.Equal(1, DenseIntegerReference.ArgMax([3, 9, 9, -2]));
        Assert.Equal(0, DenseIntegerReference.ArgMax([-5]));
        Assert.Equal(2, DenseIntegerReference.ArgMax([int.MinValue, -1, 0]));
    }

    [Fact]
    public void RejectsAnInputOfTheWrongSize()
    {
        var reference = new DenseIntegerReference(TestModels.HandMade());
        Assert.Throws<ArgumentException>(() => reference.Forward([1, 2]));
    }

    [Fact]
    public void AgreesWithTheSparseKernelsLayerByLayer()
    {
        SparseModel model = RandomSparseModel.Create(17, [60, 40, 25, 10], 0.15, 4);
        var reference = new DenseIntegerReference(model);
        var random = new Random(17);
        for (int sample = 0; sample < 20; sample++)
        {
            var input = new byte[60];
            for (int i = 0; i < input.Length; i++)
            {
                input[i] = random.NextDouble() < 0.5 ? (byte)0 : (byte)random.Next(256);
            }

            Assert.Equal(reference.Forward(input), SparseForward(model, input));
        }
    }

    /// <summary>The CPU path: per-PE sparse products, gather, bias, then requantize (or not, for the last raw layer).</summary>
    private static int[] SparseForward(SparseModel model, byte[] input)
    {
        byte[] x = input;
        int[] y = [];
        foreach (SparseLayer layer in model.Layers)
        {
            y = new int[layer.Rows];
            for (int pe = 0; pe < layer.Weights.PeCount; pe++)
            {
                CcsSlice slice = layer.Weights.Slices[pe];
                var acc = new int[CcsEncoder.LocalRowCount(layer.Rows, layer.Weights.PeCount, pe)];
                SparseMatVec.MultiplyAccumulate(slice.Entries, slice.Pointers, layer.Codebook, x, acc);
                SparseMatVec.ScatterRows(acc, layer.Weights.PeCount, pe, y);
            }

            Requantizer.AddBias(y, layer.Bias);
            if (layer.Output == LayerOutput.Raw32)
            {
                return y;
            }

            x = new byte[layer.Rows];
            Requantizer.ReluShiftSaturate(y, layer.OutputShift, x);
            y = [.. x.Select(v => (int)v)];
        }

        return y;
    }
}
