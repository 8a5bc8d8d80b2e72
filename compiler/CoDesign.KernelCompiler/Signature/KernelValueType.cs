using Microsoft.CodeAnalysis;

namespace CoDesign.KernelCompiler.Signature;

/// <summary>An integer type of the subset as the hardware sees it: a width and a signedness (bool is 1 bit).</summary>
public readonly record struct KernelValueType(int Bits, bool Signed, bool IsBool = false)
{
    /// <summary><c>bool</c>.</summary>
    public static KernelValueType Bool { get; } = new(1, false, true);

    /// <summary>Smallest value of the type.</summary>
    public long MinValue => IsBool || !Signed ? 0 : Bits == 64 ? long.MinValue : -(1L << (Bits - 1));

    /// <summary>Largest value of the type, as raw bits for <c>ulong</c> (read it with <see cref="ToText"/>).</summary>
    public ulong MaxValue => Bits == 64 ? (Signed ? long.MaxValue : ulong.MaxValue) : Signed ? (1UL << (Bits - 1)) - 1 : (1UL << Bits) - 1;

    /// <summary>The C# keyword of the type.</summary>
    public string CSharpName => IsBool ? "bool" : (Bits, Signed) switch
    {
        (8, true) => "sbyte",
        (8, false) => "byte",
        (16, true) => "short",
        (16, false) => "ushort",
        (32, true) => "int",
        (32, false) => "uint",
        (64, true) => "long",
        (64, false) => "ulong",
        _ => $"int{Bits}",
    };

    /// <summary>
    /// Keeps the low <see cref="Bits"/> of <paramref name="raw"/> and extends them by the type's sign:
    /// every value of the stack travels as a 64-bit pattern, and this puts it in canonical form.
    /// </summary>
    public long Normalize(long raw)
    {
        if (Bits >= 64)
        {
            return raw;
        }

        int unused = 64 - Bits;
        return Signed ? (raw << unused) >> unused : (long)((ulong)(raw << unused) >> unused);
    }

    /// <summary>The value of a canonical bit pattern in decimal (<c>ulong</c> above <c>long.MaxValue</c> included; bool as 0 or 1).</summary>
    public string ToText(long raw) => !Signed && Bits == 64 ? ((ulong)raw).ToString(System.Globalization.CultureInfo.InvariantCulture) : raw.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The subset's type for a Roslyn type, or null when it is not an integer type of the subset.</summary>
    public static KernelValueType? Of(ITypeSymbol type) => type.SpecialType switch
    {
        SpecialType.System_Boolean => Bool,
        SpecialType.System_SByte => new KernelValueType(8, true),
        SpecialType.System_Byte => new KernelValueType(8, false),
        SpecialType.System_Int16 => new KernelValueType(16, true),
        SpecialType.System_UInt16 => new KernelValueType(16, false),
        SpecialType.System_Char => new KernelValueType(16, false),
        SpecialType.System_Int32 => new KernelValueType(32, true),
        SpecialType.System_UInt32 => new KernelValueType(32, false),
        SpecialType.System_Int64 => new KernelValueType(64, true),
        SpecialType.System_UInt64 => new KernelValueType(64, false),
        _ => null,
    };
}
