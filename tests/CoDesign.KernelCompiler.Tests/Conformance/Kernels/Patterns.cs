namespace CoDesign.Conformance;

/// <summary>is with constant, relational, and, or, not and parenthesized patterns.</summary>
public static class Patterns
{
    /// <summary>A char range.</summary>
    public static bool IsDigit(char c) => c is >= '0' and <= '9';

    /// <summary>An or of constants.</summary>
    public static bool IsSmallPrime(int a) => a is 2 or 3 or 5 or 7 or 11 or 13;

    /// <summary>not with a constant.</summary>
    public static bool NotZero(uint a) => a is not 0;

    /// <summary>Relational patterns in a conditional chain.</summary>
    public static int Classify(int a) => a is < 0 ? -1 : a is 0 ? 0 : a is > 0 and < 100 ? 1 : 2;

    /// <summary>Parenthesized and/or on a byte.</summary>
    public static bool IsPrintable(byte b) => b is (>= 0x20 and < 0x7F) or 0x0A;

    /// <summary>Relational patterns on a long with large constants.</summary>
    public static bool FarFromZero(long a) => a is < -1_000_000_000_000L or > 1_000_000_000_000L;

    /// <summary>not around a range.</summary>
    public static bool OutsideTen(short a) => a is not (>= -10 and <= 10);

    /// <summary>A pattern on an expression.</summary>
    public static bool LowNibbleIs3Or5(int a) => (a & 0xF) is 3 or 5;

    /// <summary>A pattern on a ulong above long.MaxValue.</summary>
    public static bool TopHalf(ulong a) => a is >= 0x8000_0000_0000_0000UL;

    /// <summary>A pattern on a bool.</summary>
    public static int FromBool(bool b, int a) => b is true ? a : -a;
}
