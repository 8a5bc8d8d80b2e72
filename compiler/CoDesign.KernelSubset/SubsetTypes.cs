using Microsoft.CodeAnalysis;

namespace CoDesign.KernelSubset;

/// <summary>The types a kernel may use: bool, char, the 8- to 64-bit integers, and spans of them.</summary>
internal static class SubsetTypes
{
    public static TypeClass Classify(ITypeSymbol? type)
    {
        if (type is null)
        {
            return TypeClass.Supported;
        }

        if (IsScalar(type))
        {
            return TypeClass.Supported;
        }

        if (IsFloatingPoint(type))
        {
            return TypeClass.FloatingPoint;
        }

        if (IsSpan(type, out ITypeSymbol? element))
        {
            return IsScalar(element!) ? TypeClass.Supported : IsFloatingPoint(element!) ? TypeClass.FloatingPoint : TypeClass.Unsupported;
        }

        return TypeClass.Unsupported;
    }

    /// <summary>bool, char or an 8- to 64-bit integer (not nint/nuint, which have no fixed width).</summary>
    public static bool IsScalar(ITypeSymbol type)
    {
        if (type is INamedTypeSymbol { IsNativeIntegerType: true })
        {
            return false;
        }

        switch (type.SpecialType)
        {
            case SpecialType.System_Boolean:
            case SpecialType.System_Char:
            case SpecialType.System_SByte:
            case SpecialType.System_Byte:
            case SpecialType.System_Int16:
            case SpecialType.System_UInt16:
            case SpecialType.System_Int32:
            case SpecialType.System_UInt32:
            case SpecialType.System_Int64:
            case SpecialType.System_UInt64:
                return true;
            default:
                return false;
        }
    }

    /// <summary>An integer or char: what Math.Min/Max may compare.</summary>
    public static bool IsInteger(ITypeSymbol type) => IsScalar(type) && type.SpecialType != SpecialType.System_Boolean;

    public static bool IsFloatingPoint(ITypeSymbol type) =>
        type.SpecialType is SpecialType.System_Single or SpecialType.System_Double or SpecialType.System_Decimal;

    /// <summary>True for <c>System.Span&lt;T&gt;</c> and <c>System.ReadOnlySpan&lt;T&gt;</c>.</summary>
    public static bool IsSpan(ITypeSymbol? type, out ITypeSymbol? element)
    {
        element = null;
        if (type is INamedTypeSymbol { Arity: 1, Name: "Span" or "ReadOnlySpan" } named && IsSystem(named.ContainingNamespace))
        {
            element = named.TypeArguments[0];
            return true;
        }

        return false;
    }

    public static bool IsSpan(ITypeSymbol? type) => IsSpan(type, out _);

    /// <summary>The namespace <c>System</c> itself (not one below it).</summary>
    public static bool IsSystem(INamespaceSymbol? ns) =>
        ns is { Name: "System", ContainingNamespace.IsGlobalNamespace: true };

    /// <summary>The type as C# writes it, e.g. <c>double</c>, <c>int[]</c>, <c>Span&lt;int&gt;</c>.</summary>
    public static string Name(ITypeSymbol? type) =>
        type?.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) ?? "?";
}
