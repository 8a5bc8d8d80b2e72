using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace CoDesign.KernelSubset;

/// <summary>What scanning one method found: its own violations and the source methods it calls.</summary>
internal sealed class MethodScan
{
    public MethodScan(IMethodSymbol method, IReadOnlyList<Violation> violations, IReadOnlyList<CallSite> calls)
    {
        Method = method;
        Violations = violations;
        Calls = calls;
    }

    public IMethodSymbol Method { get; }

    /// <summary>Violations in the method's signature and body, not in its callees.</summary>
    public IReadOnlyList<Violation> Violations { get; }

    public IReadOnlyList<CallSite> Calls { get; }
}
