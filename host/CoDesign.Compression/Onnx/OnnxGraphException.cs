namespace CoDesign.Compression.Onnx;

/// <summary>
/// Why one node (or tensor) of an ONNX graph cannot be imported; <see cref="OnnxImporter"/> adds the
/// file, the node and its op before it reaches the user as a <see cref="Model.ModelFormatException"/>.
/// </summary>
internal sealed class OnnxGraphException(string message) : Exception(message);
