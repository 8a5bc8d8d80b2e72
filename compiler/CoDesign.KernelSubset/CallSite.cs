using Microsoft.CodeAnalysis;

namespace CoDesign.KernelSubset;

/// <summary>A call from a scanned method to a source method, which the check follows.</summary>
internal sealed class CallSite
{
    public CallSite(IMethodSymbol callee, Location location)
    {
        Callee = callee;
        Location = location;
    }

    /// <summary>The called method's definition (the implementation part of a partial method).</summary>
    public IMethodSymbol Callee { get; }

    /// <summary>The invocation.</summary>
    public Location Location { get; }
}
