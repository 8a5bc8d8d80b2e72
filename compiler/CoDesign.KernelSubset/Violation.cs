using Microsoft.CodeAnalysis;

namespace CoDesign.KernelSubset;

/// <summary>
/// A violation found by a scan, still holding its Roslyn location: the analyzer reports that
/// location, the compiler's <see cref="KernelDiagnostic"/> its file, line and column.
/// </summary>
internal sealed class Violation
{
    public Violation(Location location, string code, string construct, string why)
    {
        Location = location;
        Code = code;
        Construct = construct;
        Why = why;
    }

    public Location Location { get; }

    public string Code { get; }

    public string Construct { get; }

    public string Why { get; }

    public KernelDiagnostic ToDiagnostic() => KernelDiagnostic.At(Location, Code, Construct, Why);
}
