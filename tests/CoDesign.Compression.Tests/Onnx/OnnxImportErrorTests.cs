using CoDesign.Compression.Onnx;
using CoDesign.Model;
using Google.Protobuf;
using Onnx;

namespace CoDesign.Compression.Tests.Onnx;

/// <summary>What the importer refuses, each with one message that names the file, the node, its op and why.</summary>
public sealed class OnnxImportErrorTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void An_unsupported_op_is_named_with_its_node()
    {
        ModelProto model = OnnxModels.Load(OnnxModels.TorchOpset17);
        NodeProto relu = model.Graph.Node.First(n => n.OpType == "Relu");
        relu.OpType = "Sigmoid";
        string message = Refused(model);
        Assert.Contains($"node \"{relu.Name}\" (Sigmoid): op not supported", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Weights_in_an_external_file_are_refused_with_the_node_that_reads_them()
    {
        ModelProto model = OnnxModels.Load(OnnxModels.TorchOpset17);
        TensorProto weights = model.Graph.Initializer.First(t => t.Dims.Count == 2);
        weights.RawData = ByteString.Empty;
        weights.DataLocation = TensorProto.Types.DataLocation.External;
        weights.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "weights.bin" });
        NodeProto reader = model.Graph.Node.First(n => n.Input.Contains(weights.Name));
        string message = Refused(model);
        Assert.Contains($"node \"{reader.Name}\" (Gemm): initializer \"{weights.Name}\" keeps its data in an external file (\"weights.bin\")", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(8L)]
    [InlineData(18L)]
    public void Opsets_outside_9_to_17_are_refused(long opset)
    {
        ModelProto model = OnnxModels.Load(OnnxModels.TorchOpset9);
        model.OpsetImport[0].Version = opset;
        Assert.Contains($"opset {opset}; the importer reads opsets 9 to 17", Refused(model), StringComparison.Ordinal);
    }

    [Fact]
    public void A_reshape_that_mixes_the_batch_with_the_features_is_refused()
    {
        ModelProto model = OnnxModels.Load(OnnxModels.KerasOpset13);
        TensorProto shape = model.Graph.Initializer.First(t => t.DataType == 7);
        shape.Int64Data[0] = 392;
        shape.Int64Data[1] = -1;
        string message = Refused(model);
        Assert.Contains("node \"sequential/flatten/Reshape\" (Reshape): a Reshape of [batch, 28, 28] to [392, -1] mixes the batch", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Weights_that_do_not_fit_the_layer_input_are_refused()
    {
        ModelProto model = OnnxModels.Load(OnnxModels.GemmAttributesOpset11);
        NodeProto gemm = model.Graph.Node.First(n => n.OpType == "Gemm");
        gemm.Attribute.First(a => a.Name == "transB").I = 1;
        Assert.Contains("node \"gemm0\" (Gemm): the weights of shape [784, 16] (transposed) take 16 inputs; the layer receives 784", Refused(model), StringComparison.Ordinal);
    }

    [Fact]
    public void Two_layers_without_a_relu_between_them_are_refused()
    {
        ModelProto model = OnnxModels.Load(OnnxModels.GemmAttributesOpset11);
        NodeProto relu = model.Graph.Node.First(n => n.OpType == "Relu");
        relu.OpType = "Identity";
        Assert.Contains("node \"gemm1\" (Gemm): it follows layer 0 with no Relu between them", Refused(model), StringComparison.Ordinal);
    }

    [Fact]
    public void A_softmax_before_the_last_layer_is_refused()
    {
        ModelProto model = OnnxModels.Load(OnnxModels.GemmAttributesOpset11);
        model.Graph.Node.First(n => n.OpType == "Relu").OpType = "Softmax";
        Assert.Contains("node \"gemm1\" (Gemm): it follows a Softmax; Softmax and LogSoftmax are read only at the output", Refused(model), StringComparison.Ordinal);
    }

    [Fact]
    public void A_transposed_batch_is_refused()
    {
        ModelProto model = OnnxModels.Load(OnnxModels.GemmAttributesOpset11);
        model.Graph.Node.First(n => n.OpType == "Gemm").Attribute.First(a => a.Name == "transA").I = 1;
        Assert.Contains("node \"gemm0\" (Gemm): transA = 1", Refused(model), StringComparison.Ordinal);
    }

    [Fact]
    public void A_tensor_whose_shape_claims_more_elements_than_a_file_holds_is_refused_before_anything_is_allocated()
    {
        ModelProto model = OnnxModels.Load(OnnxModels.GemmAttributesOpset11);
        TensorProto weights = model.Graph.Initializer.First(t => t.Name == "W0");
        weights.Dims[0] = 1L << 40;
        weights.Dims[1] = 1L << 40;
        Assert.Contains("node \"gemm0\" (Gemm): initializer \"W0\" of shape [1099511627776, 1099511627776] has more than 67,108,864 elements", Refused(model), StringComparison.Ordinal);
    }

    [Fact]
    public void A_fixed_batch_reshape_is_read_with_a_note()
    {
        ModelProto model = OnnxModels.Load(OnnxModels.KerasOpset13);
        model.Graph.Initializer.First(t => t.DataType == 7).Int64Data[0] = 1;
        OnnxImport imported = OnnxImporter.Import(OnnxModels.Save(model, _folder.Path, "batch1.onnx"));
        Assert.Contains("a Reshape to a fixed batch of 1 is read as one image at a time", imported.Notes);
    }

    [Fact]
    public void A_file_that_is_not_onnx_is_refused()
    {
        string path = Path.Combine(_folder.Path, "notes.onnx");
        File.WriteAllText(path, "these are not the weights you are looking for\n");
        ModelFormatException e = Assert.Throws<ModelFormatException>(() => OnnxImporter.Import(path));
        Assert.StartsWith($"{path}: not an ONNX model", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_half_file_is_refused()
    {
        byte[] bytes = File.ReadAllBytes(OnnxModels.PathOf(OnnxModels.TorchOpset9));
        string path = Path.Combine(_folder.Path, "half.onnx");
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        ModelFormatException e = Assert.Throws<ModelFormatException>(() => OnnxImporter.Import(path));
        Assert.StartsWith($"{path}: not an ONNX model", e.Message, StringComparison.Ordinal);
    }

    private string Refused(ModelProto model)
    {
        string path = OnnxModels.Save(model, _folder.Path, "changed.onnx");
        ModelFormatException e = Assert.Throws<ModelFormatException>(() => OnnxImporter.Import(path));
        Assert.StartsWith(path + ": ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        return e.Message;
    }
}
