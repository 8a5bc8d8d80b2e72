using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace CoDesign.KernelSubset;

/// <summary>One Roslyn descriptor per rule, all errors: a kernel outside the subset must not build.</summary>
internal static class SubsetDescriptors
{
    public const string Category = "HardwareSubset";

    public static readonly ImmutableDictionary<string, DiagnosticDescriptor> ByCode = ImmutableDictionary.CreateRange(new[]
    {
        Make(SubsetCodes.Allocation, "Heap allocation in a hardware kernel"),
        Make(SubsetCodes.Exceptions, "Exceptions in a hardware kernel"),
        Make(SubsetCodes.Recursion, "Recursion in a hardware kernel"),
        Make(SubsetCodes.FloatingPoint, "Floating point in a hardware kernel"),
        Make(SubsetCodes.InstanceCall, "Instance, virtual or interface call in a hardware kernel"),
        Make(SubsetCodes.UnsupportedType, "Type with no hardware form"),
        Make(SubsetCodes.UnsupportedParameter, "Parameter or return a hardware kernel cannot have"),
        Make(SubsetCodes.CheckedArithmetic, "Checked arithmetic in a hardware kernel"),
        Make(SubsetCodes.UnsupportedStatement, "Statement outside the hardware subset"),
        Make(SubsetCodes.UnsupportedExpression, "Expression outside the hardware subset"),
        Make(SubsetCodes.LibraryCall, "Call to a library method that is not an intrinsic"),
        Make(SubsetCodes.StateOrMember, "Mutable state, instance member or property in a hardware kernel"),
        Make(SubsetCodes.StackallocSize, "stackalloc of a size that is not constant"),
        Make(SubsetCodes.SpanRebound, "Span rebound after its declaration"),
        Make(SubsetCodes.Contract, "Range contract the compiler cannot read"),
    }.Select(d => new System.Collections.Generic.KeyValuePair<string, DiagnosticDescriptor>(d.Id, d)));

    private static DiagnosticDescriptor Make(string code, string title) =>
        new(code, title, "{0} {1}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            description: "Kernels compile to hardware and must stay inside the hardware subset of C# (compiler/CoDesign.KernelSubset/RULES.md).");
}
