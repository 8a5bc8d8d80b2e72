namespace CoDesign.Compression.Onnx;

/// <summary>What <see cref="OnnxImporter"/> made of an ONNX file.</summary>
/// <param name="Model">The float network, fed with pixels / 255 (any other input scaling folded into its first layer).</param>
/// <param name="Opset">The file's default-domain opset.</param>
/// <param name="Producer">The exporter that wrote the file, as it names itself ("pytorch 1.13.1"), or empty.</param>
/// <param name="Notes">What the import changed that a user should know (an output Softmax dropped, Dropout skipped).</param>
public sealed record OnnxImport(DenseMlp Model, long Opset, string Producer, IReadOnlyList<string> Notes);
