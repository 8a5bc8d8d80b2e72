namespace CoDesign.Compression.Onnx;

/// <summary>What a value of the graph is while the importer walks it: known at import, or computed from the input at run time.</summary>
internal abstract record OnnxValue;

/// <summary>
/// A tensor known at import: an initializer, a Constant, or shape arithmetic folded from them. Integer
/// tensors may hold <see cref="Batch"/>, the symbolic batch size a Shape node reads off an activation.
/// </summary>
/// <param name="Dims">The tensor's shape (empty for a scalar).</param>
/// <param name="Floats">The elements of a floating-point tensor, row-major; null for an integer tensor.</param>
/// <param name="Ints">The elements of an integer tensor, row-major; null for a floating-point tensor.</param>
internal sealed record OnnxConstant(long[] Dims, float[]? Floats, long[]? Ints) : OnnxValue
{
    /// <summary>Stands for the batch size in folded shape arithmetic.</summary>
    public const long Batch = long.MinValue;

    /// <summary>Number of elements.</summary>
    public long Count => Floats?.Length ?? Ints!.Length;

    /// <summary>The shape in ONNX's words, e.g. <c>[784, 64]</c>.</summary>
    public string Shape => OnnxActivation.Describe(Dims);

    /// <summary>The values of an integer tensor as written in messages, e.g. <c>[batch, -1]</c>.</summary>
    public string Values => Ints is null ? $"{Floats!.Length} floats" : "[" + string.Join(", ", Ints.Select(v => v == Batch ? "batch" : v.ToString(System.Globalization.CultureInfo.InvariantCulture))) + "]";
}

/// <summary>Where an activation stands in the layer chain being rebuilt.</summary>
internal enum ActivationStage
{
    /// <summary>The graph input, possibly reshaped: no layer has read it yet.</summary>
    Input,

    /// <summary>A MatMul's product that still waits for its bias (an Add).</summary>
    Product,

    /// <summary>A layer's output before its activation function (a Gemm, or a MatMul with its Add).</summary>
    Linear,

    /// <summary>A layer's output after ReLU.</summary>
    Relu,

    /// <summary>The last layer's output through Softmax or LogSoftmax, which is dropped.</summary>
    Normalized,
}

/// <summary>A tensor computed from the graph input at run time.</summary>
/// <param name="Dims">Its shape; <c>Dims[0]</c> is the batch, and -1 marks a size the file does not fix.</param>
/// <param name="Stage">Where it stands in the layer chain.</param>
/// <param name="Layer">The layer that produced it, -1 for the input.</param>
internal sealed record OnnxActivation(long[] Dims, ActivationStage Stage, int Layer) : OnnxValue
{
    /// <summary>Values per image: the product of every size after the batch, or -1 when one is not known.</summary>
    public long Features => Dims.Skip(1).Any(d => d < 0) ? -1 : Dims.Skip(1).Aggregate(1L, (a, b) => a * b);

    /// <summary>The shape in words, e.g. <c>[batch, 1, 28, 28]</c>.</summary>
    public string Shape => "[batch" + string.Concat(Dims.Skip(1).Select(d => d < 0 ? ", ?" : $", {d}")) + "]";

    /// <summary>A shape in words, e.g. <c>[784, 64]</c>.</summary>
    public static string Describe(long[] dims) => "[" + string.Join(", ", dims) + "]";
}
