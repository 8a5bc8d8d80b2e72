using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace CoDesign.KernelSubset;

/// <summary>Checks that a method (and what it calls) stays inside the hardware subset of C#.</summary>
public static class SubsetChecker
{
    /// <summary>
    /// Every violation in <paramref name="method"/>'s body, its signature and the bodies of the
    /// methods it calls (transitively, each once), in source order. Empty when it can become hardware.
    /// </summary>
    public static IReadOnlyList<KernelDiagnostic> Check(IMethodSymbol method, Compilation compilation)
    {
        _ = method;
        _ = compilation;
        return new List<KernelDiagnostic>();
    }
}
