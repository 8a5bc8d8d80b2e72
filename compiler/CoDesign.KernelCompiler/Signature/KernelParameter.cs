namespace CoDesign.KernelCompiler.Signature;

/// <summary>How a parameter crosses the kernel's boundary.</summary>
public enum KernelParameterKind
{
    /// <summary>A value passed in (a port of the generated module).</summary>
    Scalar,

    /// <summary>A <c>ReadOnlySpan&lt;T&gt;</c>: a memory the kernel reads.</summary>
    ReadOnlySpan,

    /// <summary>A <c>Span&lt;T&gt;</c>: a memory the kernel reads and writes.</summary>
    Span,

    /// <summary>An <c>out</c> scalar: a value the kernel returns through a port.</summary>
    Out,
}

/// <summary>One parameter of a kernel method: its name, element type and kind.</summary>
public sealed record KernelParameter(string Name, KernelValueType Type, KernelParameterKind Kind)
{
    /// <summary>True for spans (read-only or not).</summary>
    public bool IsSpan => Kind is KernelParameterKind.ReadOnlySpan or KernelParameterKind.Span;

    /// <summary>
    /// The values a range contract at the start of the method allows (already within <see cref="Type"/>),
    /// or null without one: callers outside it throw on the CPU, and the hardware needs only its bits.
    /// </summary>
    public (long Low, long High)? Range { get; init; }
}
