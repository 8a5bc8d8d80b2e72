using System.Globalization;
using CoDesign.Model;

namespace CoDesign.Compression.Tests;

public class ModelQuantizerTests
{
    private static readonly Lazy<(DenseMlp Shared, WeightCodebook[] Codebooks, SparseModel Model)> Quantized = new(() =>
    {
        DenseMlp shared = TestData.SmallModel.Clone();
        MagnitudePruner.Prune(shared, [0.25, 0.4, 0.8]);
        WeightCodebook[] codebooks = KMeansCodebook.ShareWeights(shared);
        SparseModel model = ModelQuantizer.Quantize(
            shared, codebooks, TestData.Train, new QuantizationOptions { CalibrationImages = 2000 }, "test", new Dictionary<string, string> { ["k"] = "v" });
        return (shared, codebooks, model);
    });

    [Fact]
    public void IntegerModelAgreesWithTheFloatModel()
    {
        (DenseMlp shared, _, SparseModel model) = Quantized.Value;
        var reference = new DenseIntegerReference(model);
        var data = TestData.Test;
        int[] floatPredictions = shared.Predictions(data);
        int agree = Enumerable.Range(0, data.Count).Count(i => reference.Classify(data.Image(i)) == floatPredictions[i]);
        Assert.True(agree >= 0.97 * data.Count, $"integer and float argmax agree on {agree} of {data.Count}");
    }

    [Fact]
    public void RawLogitsTimesTheirUnitApproximateTheFloatLogits()
    {
        (DenseMlp shared, _, SparseModel model) = Quantized.Value;
        var reference = new DenseIntegerReference(model);
        double unit = double.Parse(model.Metadata["layer2.output_unit"], CultureInfo.InvariantCulture);
        double error = 0;
        double magnitude = 0;
        for (int i = 0; i < 200; i++)
        {
            float[] expected = shared.Logits(TestData.Test.Image(i));
            int[] raw = reference.Forward(TestData.Test.Image(i));
            for (int c = 0; c < raw.Length; c++)
            {
                error += Math.Abs((raw[c] * unit) - expected[c]);
                magnitude += Math.Abs(expected[c]);
            }
        }

        Assert.True(error / magnitude < 0.05, $"relative logit error {error / magnitude}");
    }

    [Fact]
    public void LayersHaveTheAcceleratorsShape()
    {
        (_, WeightCodebook[] codebooks, SparseModel model) = Quantized.Value;
        Assert.Equal("test", model.Name);
        Assert.Equal("v", model.Metadata["k"]);
        Assert.Equal(784, model.InputSize);
        Assert.Equal(4, model.PeCount);
        Assert.Equal([LayerOutput.ReluActivations8, LayerOutput.ReluActivations8, LayerOutput.Raw32], model.Layers.Select(l => l.Output));
        for (int l = 0; l < model.Layers.Count; l++)
        {
            SparseLayer layer = model.Layers[l];
            Assert.Equal(0, layer.Codebook[0]);
            Assert.Equal(codebooks[l].Indices, layer.Weights.DecodeIndices());

            // The weight scale is a power of two and the codebook uses the top of the int16 range.
            Assert.Equal(0, Math.Log2(layer.WeightScale) % 1);
            int largest = layer.Codebook.Max(c => Math.Abs((int)c));
            Assert.InRange(largest, 16384, 32767);

            // No row can overflow the 32-bit accumulator, whatever the 8-bit inputs.
            byte[] indices = layer.Weights.DecodeIndices();
            for (int row = 0; row < layer.Rows; row++)
            {
                long worst = Math.Abs((long)layer.Bias[row]);
                for (int col = 0; col < layer.Cols; col++)
                {
                    worst += Math.Abs((long)layer.Codebook[indices[(row * layer.Cols) + col]]) * 255;
                }

                Assert.True(worst <= int.MaxValue, $"layer {l} row {row} can reach {worst}");
            }
        }

        // Codebook values stand for the shared float weights (layer 0 takes raw pixels: 1/255 folded in).
        SparseLayer first = model.Layers[0];
        for (int k = 1; k < 16; k++)
        {
            double real = first.Codebook[k] * (double)first.WeightScale * 255;
            Assert.Equal(codebooks[0].Centroids[k], real, 255 * first.WeightScale);
        }
    }

    [Fact]
    public void HiddenShiftsPutTheChosenPercentileNearTheTopOfTheByteRange()
    {
        SparseModel model = Quantized.Value.Model;
        var reference = new DenseIntegerReference(new SparseModel("hidden", 784, [model.Layers[0]]));
        var outputs = new List<int>();
        for (int i = 0; i < 1000; i++)
        {
            outputs.AddRange(reference.Forward(TestData.Train.Image(i)));
        }

        outputs.Sort();
        int p999 = outputs[(int)(outputs.Count * 0.999)];
        Assert.InRange(p999, 100, 255);
        Assert.True(outputs.Count(v => v == 255) < outputs.Count * 0.005, "too much saturation");
    }

    [Fact]
    public void RoundTripsThroughTheModelFile()
    {
        SparseModel model = Quantized.Value.Model;
        SparseModel back = ModelFile.Deserialize(ModelFile.Serialize(model));
        var original = new DenseIntegerReference(model);
        var reread = new DenseIntegerReference(back);
        for (int i = 0; i < 50; i++)
        {
            Assert.Equal(original.Forward(TestData.Test.Image(i)), reread.Forward(TestData.Test.Image(i)));
        }
    }

    [Fact]
    public void PeCountChangesTheEncodingButNotTheResults()
    {
        (DenseMlp shared, WeightCodebook[] codebooks, SparseModel four) = Quantized.Value;
        SparseModel one = ModelQuantizer.Quantize(shared, codebooks, TestData.Train, new QuantizationOptions { CalibrationImages = 2000, PeCount = 1 }, "test");
        Assert.Equal(1, one.PeCount);
        var a = new DenseIntegerReference(four);
        var b = new DenseIntegerReference(one);
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(a.Forward(TestData.Test.Image(i)), b.Forward(TestData.Test.Image(i)));
        }
    }
}
