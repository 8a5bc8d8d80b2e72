using CoDesign.Compression.Onnx;
using Google.Protobuf;
using Onnx;

namespace CoDesign.Compression.Tests.Onnx;

/// <summary>The committed ONNX test models (tests/onnx, written by make-models.py) and the inputs each was trained on.</summary>
internal static class OnnxModels
{
    /// <summary>PyTorch at opset 9: reshape shape arithmetic, Gemm, LogSoftmax; trained after Normalize((0.2860,), (0.3530,)).</summary>
    public const string TorchOpset9 = "torch-mlp-opset9.onnx";

    /// <summary>PyTorch at opset 17: Flatten, Gemm, Softmax; 784-64-32-10 on pixels / 255.</summary>
    public const string TorchOpset17 = "torch-mlp-opset17.onnx";

    /// <summary>tf2onnx's form of a Keras model: Reshape to a constant, MatMul + Add, Softmax, Identity; typed initializers.</summary>
    public const string KerasOpset13 = "keras-mlp-opset13.onnx";

    /// <summary>Gemm with transB = 0, alpha 0.5, beta 2, a [1 x n] bias and a Constant shape node.</summary>
    public const string GemmAttributesOpset11 = "gemm-attributes-opset11.onnx";

    /// <summary>torchvision's Normalize((0.2860,), (0.3530,)) after ToTensor, as an <see cref="InputScaling"/>.</summary>
    public static InputScaling Normalized { get; } = new(1 / (255 * 0.3530), 255 * 0.2860);

    /// <summary>The path of a committed model next to the test assembly.</summary>
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "onnx", name);

    /// <summary>The scaling a committed model was trained with.</summary>
    public static InputScaling ScalingOf(string name) => name == TorchOpset9 ? Normalized : InputScaling.PixelsOver255;

    /// <summary>Loads a committed model to change it.</summary>
    public static ModelProto Load(string name) => ModelProto.Parser.ParseFrom(File.ReadAllBytes(PathOf(name)));

    /// <summary>Writes <paramref name="model"/> into <paramref name="folder"/> and returns its path.</summary>
    public static string Save(ModelProto model, string folder, string name)
    {
        string path = System.IO.Path.Combine(folder, name);
        File.WriteAllBytes(path, model.ToByteArray());
        return path;
    }
}
