using System.Linq;
using Microsoft.CodeAnalysis;

namespace CoDesign.KernelSubset;

/// <summary>
/// Library members the compiler maps to hardware directly instead of compiling their (absent) source:
/// integer Math.Min/Max, BitOperations.PopCount, and the span members Length, the indexer, Slice and Clear.
/// </summary>
internal static class Intrinsics
{
    public static bool IsIntrinsic(IMethodSymbol method)
    {
        INamedTypeSymbol type = method.ContainingType;
        if (type is null)
        {
            return false;
        }

        if (type.Name == "Math" && SubsetTypes.IsSystem(type.ContainingNamespace) && method.IsStatic)
        {
            return method.Name is "Min" or "Max"
                && method.Parameters.Length == 2
                && method.Parameters.All(p => SubsetTypes.IsInteger(p.Type));
        }

        if (type.Name == "BitOperations" && type.ContainingNamespace is { Name: "Numerics" } ns && SubsetTypes.IsSystem(ns.ContainingNamespace) && method.IsStatic)
        {
            return method.Name == "PopCount"
                && method.Parameters.Length == 1
                && method.Parameters[0].Type.SpecialType is SpecialType.System_UInt32 or SpecialType.System_UInt64;
        }

        if (SubsetTypes.IsSpan(type) && !method.IsStatic)
        {
            return method.Name switch
            {
                "Slice" => method.Parameters.Length is 1 or 2 && method.Parameters.All(p => p.Type.SpecialType == SpecialType.System_Int32),
                "Clear" => method.Parameters.Length == 0 && type.Name == "Span",
                _ => false,
            };
        }

        return false;
    }

    /// <summary>A span's <c>Length</c> or its integer indexer.</summary>
    public static bool IsIntrinsic(IPropertySymbol property) =>
        SubsetTypes.IsSpan(property.ContainingType)
        && !property.IsStatic
        && (property.Name == "Length" || (property.IsIndexer && property.Parameters.Length == 1 && property.Parameters[0].Type.SpecialType == SpecialType.System_Int32));
}
