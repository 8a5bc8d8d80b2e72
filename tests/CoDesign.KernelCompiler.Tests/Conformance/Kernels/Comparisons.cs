namespace CoDesign.Conformance;

/// <summary>Comparisons of signed, unsigned and mixed operands, and the logical operators.</summary>
public static class Comparisons
{
    /// <summary>Signed less-than.</summary>
    public static bool SignedLess(int a, int b) => a < b;

    /// <summary>Unsigned less-than: 0xFFFFFFFF is the largest.</summary>
    public static bool UnsignedLess(uint a, uint b) => a < b;

    /// <summary>int against uint compares as long.</summary>
    public static bool MixedSignedness(int a, uint b) => a < b;

    /// <summary>Three-way compare of longs.</summary>
    public static int CompareLong(long a, long b) => a < b ? -1 : a > b ? 1 : 0;

    /// <summary>ulong greater-or-equal.</summary>
    public static bool UlongAtLeast(ulong a, ulong b) => a >= b;

    /// <summary>byte against sbyte compares as int.</summary>
    public static bool ByteEqualsSbyte(byte a, sbyte b) => a == b;

    /// <summary>&amp;&amp; and || combined.</summary>
    public static bool SameSign(int a, int b) => (a > 0 && b > 0) || (a < 0 && b < 0);

    /// <summary>&amp;&amp; short-circuits a division that would throw.</summary>
    public static bool ShortCircuitGuard(int a, int b) => b != 0 && b != -1 && a / b > 2;

    /// <summary>! and ^ and &amp; on bools.</summary>
    public static bool BoolOperators(bool a, bool b, bool c) => (!a ^ b) & (c | a);

    /// <summary>char comparison is unsigned 16-bit.</summary>
    public static bool CharGreater(char a, char b) => a > b;

    /// <summary>!= on ushort.</summary>
    public static bool UshortDiffers(ushort a, ushort b) => a != b;

    /// <summary>The four ordered compares of ints, one bit each: 32-bit compares are split in halves in Verilog.</summary>
    public static int OrderedInts(int a, int b) => (a < b ? 1 : 0) | (a <= b ? 2 : 0) | (a > b ? 4 : 0) | (a >= b ? 8 : 0);

    /// <summary>The four ordered compares of two ints whose upper 16 bits are equal, so the lower halves decide.</summary>
    public static int OrderedSameUpperHalf(int a, int low)
    {
        int b = (a & ~0xFFFF) | (low & 0xFFFF);
        return (a < b ? 1 : 0) | (a <= b ? 2 : 0) | (a > b ? 4 : 0) | (a >= b ? 8 : 0);
    }

    /// <summary>short against ushort compares as int: 17 significant bits, the narrowest split compare.</summary>
    public static int OrderedShortUshort(short a, ushort b) => (a < b ? 1 : 0) | (a >= b ? 2 : 0);
}
