using CoDesign.KernelCompiler.Ir;
using CoDesign.KernelCompiler.Signature;

namespace CoDesign.KernelCompiler.Frontend;

/// <summary>
/// What a span expression denotes while lowering: a window of a memory. Offset and length are
/// constants or variables, so a view stays valid in every block after the one that made it.
/// </summary>
internal sealed record SpanView(IrMemory? Memory, Scalar Offset, Scalar Length)
{
    /// <summary>The empty span <c>[]</c>.</summary>
    public static SpanView Empty { get; } = new(null, Scalar.Of(0), Scalar.Of(0));
}

/// <summary>A constant or a variable: an int-typed quantity that survives block boundaries.</summary>
internal sealed record Scalar(long Constant, IrVariable? Variable)
{
    public static Scalar Of(long constant) => new(constant, null);

    public static Scalar Of(IrVariable variable) => new(0, variable);
}

/// <summary>Something that can be assigned: a variable, or an element of a memory at an absolute index held in a variable.</summary>
internal abstract record Place;

internal sealed record VariablePlace(IrVariable Variable) : Place;

internal sealed record ElementPlace(IrMemory Memory, IrVariable Index) : Place;

/// <summary>An element of the empty span: never reached by a kernel that does not throw.</summary>
internal sealed record EmptyPlace(KernelValueType ElementType) : Place;
