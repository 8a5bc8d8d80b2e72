using Onnx;

namespace CoDesign.Compression.Onnx;

/// <summary>A node's attributes by name, with the default ONNX gives when one is absent.</summary>
internal static class OnnxAttributes
{
    /// <summary>The attribute called <paramref name="name"/>, or null.</summary>
    public static AttributeProto? Attribute(this NodeProto node, string name) => node.Attribute.FirstOrDefault(a => a.Name == name);

    /// <summary>An integer attribute, or <paramref name="fallback"/>.</summary>
    public static long Int(this NodeProto node, string name, long fallback) => node.Attribute(name) is { } a ? a.I : fallback;

    /// <summary>A float attribute, or <paramref name="fallback"/>.</summary>
    public static float Float(this NodeProto node, string name, float fallback) => node.Attribute(name) is { } a ? a.F : fallback;
}
