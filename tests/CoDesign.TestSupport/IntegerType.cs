namespace CoDesign.TestSupport;

/// <summary>An integer type of the subset as generated code names it, with its range (bool is not one).</summary>
internal sealed record IntegerType(string Name, int Bits, bool Signed)
{
    /// <summary>sbyte to ulong, char included.</summary>
    public static IReadOnlyList<IntegerType> All { get; } =
    [
        new("sbyte", 8, true), new("byte", 8, false), new("short", 16, true), new("ushort", 16, false),
        new("char", 16, false), new("int", 32, true), new("uint", 32, false), new("long", 64, true), new("ulong", 64, false),
    ];

    /// <summary>Smallest value.</summary>
    public Int128 Min => Signed ? -((Int128)1 << (Bits - 1)) : 0;

    /// <summary>Largest value.</summary>
    public Int128 Max => Signed ? ((Int128)1 << (Bits - 1)) - 1 : ((Int128)1 << Bits) - 1;

    /// <summary>The value of the low <see cref="Bits"/> of <paramref name="pattern"/> read as this type.</summary>
    public Int128 FromPattern(ulong pattern)
    {
        ulong low = Bits == 64 ? pattern : pattern & ((1UL << Bits) - 1);
        bool negative = Signed && ((low >> (Bits - 1)) & 1) == 1;
        return negative ? (Int128)low - ((Int128)1 << Bits) : low;
    }

    /// <summary>
    /// A C# literal of <paramref name="value"/>: plain when it fits int, else with the u, L or UL suffix;
    /// negative ones in parentheses, so that they can follow a cast.
    /// </summary>
    public static string Literal(Int128 value)
    {
        string digits = value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string suffix = value >= int.MinValue && value <= int.MaxValue ? string.Empty
            : value >= 0 && value <= uint.MaxValue ? "u"
            : value >= long.MinValue && value <= long.MaxValue ? "L"
            : "UL";
        return value < 0 ? $"({digits}{suffix})" : digits + suffix;
    }
}
