using CoDesign.KernelSubset;

namespace CoDesign.KernelCompiler;

/// <summary>A kernel that cannot be compiled (or found, or parsed): the diagnostics say where and why.</summary>
public sealed class KernelCompileException(IReadOnlyList<KernelDiagnostic> diagnostics)
    : Exception(string.Join(Environment.NewLine, diagnostics))
{
    /// <summary>One per problem, in source order.</summary>
    public IReadOnlyList<KernelDiagnostic> Diagnostics { get; } = diagnostics;

    /// <summary>One diagnostic.</summary>
    public KernelCompileException(KernelDiagnostic diagnostic)
        : this([diagnostic])
    {
    }
}
