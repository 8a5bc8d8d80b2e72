using System.Numerics.Tensors;
using CoDesign.Compression.Onnx;
using CoDesign.Model.Datasets;

namespace CoDesign.Compression.Tests.Onnx;

/// <summary>
/// The imported float network against Microsoft.ML.OnnxRuntime running the same ONNX file, on 1,000
/// Fashion-MNIST test images, for each exporter's form of an MLP.
/// </summary>
public sealed class OnnxImporterTests
{
    private static LabeledImages Images => TestData.Test;

    [Theory]
    [InlineData(OnnxModels.TorchOpset9, new[] { 784, 24, 10 }, 9L, "LogSoftmax")]
    [InlineData(OnnxModels.TorchOpset17, new[] { 784, 64, 32, 10 }, 17L, "Softmax")]
    [InlineData(OnnxModels.KerasOpset13, new[] { 784, 24, 10 }, 13L, "Softmax")]
    [InlineData(OnnxModels.GemmAttributesOpset11, new[] { 784, 16, 10 }, 11L, null)]
    public void The_imported_network_computes_what_OnnxRuntime_computes_on_real_images(string name, int[] sizes, long opset, string? output)
    {
        string path = OnnxModels.PathOf(name);
        OnnxImport imported = OnnxImporter.Import(path, OnnxModels.ScalingOf(name));
        Assert.Equal(sizes, imported.Model.LayerSizes);
        Assert.Equal(opset, imported.Opset);
        Assert.Equal(output is not null, imported.Notes.Any(n => n.StartsWith(output + " at the output dropped", StringComparison.Ordinal)));

        float[] expected = OnnxRuntimeReference.Run(path, Images, OnnxModels.ScalingOf(name), out int classes);
        Assert.Equal(10, classes);
        double largest = 0;
        int agree = 0;
        for (int i = 0; i < Images.Count; i++)
        {
            float[] ours = imported.Model.Logits(Images.Image(i));
            float[] scores = output switch
            {
                "Softmax" => Softmax(ours),
                "LogSoftmax" => [.. Softmax(ours).Select(p => MathF.Log(p))],
                _ => ours,
            };
            ReadOnlySpan<float> theirs = expected.AsSpan(i * classes, classes);
            for (int c = 0; c < classes; c++)
            {
                largest = Math.Max(largest, Math.Abs(scores[c] - theirs[c]) / Math.Max(1, Math.Abs(theirs[c])));
            }

            agree += TensorPrimitives.IndexOfMax(ours) == TensorPrimitives.IndexOfMax(theirs) ? 1 : 0;
        }

        Assert.True(largest < 1e-4, $"largest relative difference from OnnxRuntime {largest:E2}");
        Assert.Equal(Images.Count, agree);
    }

    [Fact]
    public void A_trained_import_classifies_the_test_images_as_well_as_its_training_promised()
    {
        // The 784-64-32-10 model PyTorch trained for 12 epochs; a wrong layout of its weights would fall to chance.
        DenseMlp model = OnnxImporter.Import(OnnxModels.PathOf(OnnxModels.TorchOpset17)).Model;
        Assert.InRange(model.Accuracy(Images), 0.84, 1.0);
    }

    [Fact]
    public void Weights_in_typed_fields_and_in_raw_data_import_alike()
    {
        using var folder = new TempFolder();
        global::Onnx.ModelProto model = OnnxModels.Load(OnnxModels.KerasOpset13);
        foreach (global::Onnx.TensorProto tensor in model.Graph.Initializer.Where(t => t.FloatData.Count > 0))
        {
            byte[] raw = new byte[tensor.FloatData.Count * 4];
            for (int i = 0; i < tensor.FloatData.Count; i++)
            {
                BitConverter.TryWriteBytes(raw.AsSpan(i * 4), tensor.FloatData[i]);
            }

            tensor.FloatData.Clear();
            tensor.RawData = Google.Protobuf.ByteString.CopyFrom(raw);
        }

        DenseMlp typed = OnnxImporter.Import(OnnxModels.PathOf(OnnxModels.KerasOpset13)).Model;
        DenseMlp fromRaw = OnnxImporter.Import(OnnxModels.Save(model, folder.Path, "raw.onnx")).Model;
        for (int l = 0; l < typed.LayerCount; l++)
        {
            Assert.Equal(typed.Weights[l], fromRaw.Weights[l]);
            Assert.Equal(typed.Biases[l], fromRaw.Biases[l]);
        }
    }

    [Fact]
    public void An_input_scaling_is_folded_into_the_first_layer()
    {
        // The same file read as if trained on raw pixels: the first layer absorbs a factor of 255 and no bias shift.
        string path = OnnxModels.PathOf(OnnxModels.TorchOpset17);
        DenseMlp over255 = OnnxImporter.Import(path).Model;
        DenseMlp raw = OnnxImporter.Import(path, new InputScaling(1, 0)).Model;
        Assert.Equal(over255.Weights[0].Select(w => w * 255f), raw.Weights[0], (a, b) => Math.Abs(a - b) <= 1e-5f * Math.Max(1, Math.Abs(a)));
        Assert.Equal(over255.Weights[1], raw.Weights[1]);

        // A mean moves the bias by mean * scale * (row sum of the weights).
        DenseMlp centred = OnnxImporter.Import(path, new InputScaling(1 / 255.0, 100)).Model;
        float rowSum = over255.Weights[0].AsSpan(0, 784).ToArray().Sum();
        Assert.Equal(over255.Biases[0][0] - (100 / 255f * rowSum), centred.Biases[0][0], 3);
    }

    private static float[] Softmax(float[] logits)
    {
        float[] result = new float[logits.Length];
        TensorPrimitives.SoftMax(logits, result);
        return result;
    }
}
