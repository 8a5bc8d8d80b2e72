namespace CoDesign.Conformance;

/// <summary>Shifts by variable amounts: C# masks the count (by 31 for 32-bit operands, 63 for 64-bit).</summary>
public static class Shifts
{
    /// <summary>int left shift; counts of 32 and more wrap around.</summary>
    public static int LeftInt(int a, int n) => a << n;

    /// <summary>Arithmetic right shift of an int (sign fills).</summary>
    public static int RightInt(int a, int n) => a >> n;

    /// <summary>Logical right shift of a uint (zero fills).</summary>
    public static uint RightUint(uint a, int n) => a >> n;

    /// <summary>long shifts both ways, counts masked by 63.</summary>
    public static long BothWaysLong(long a, int n) => (a << n) ^ (a >> n);

    /// <summary>ulong right shift.</summary>
    public static ulong RightUlong(ulong a, int n) => a >> n;

    /// <summary>A byte shifted left is an int: no bits fall off at 8.</summary>
    public static int LeftByte(byte a, int n) => a << n;

    /// <summary>A negative sbyte shifted right is sign-extended first.</summary>
    public static int RightSbyte(sbyte a, int n) => a >> n;

    /// <summary>Compound shift assignments.</summary>
    public static uint Compound(uint a, int n)
    {
        uint x = a;
        x <<= n;
        x >>= n & 7;
        return x;
    }

    /// <summary>Rotate left built from two shifts (32 - n is masked too).</summary>
    public static uint RotateLeft(uint a, int n) => (a << n) | (a >> (32 - n));

    /// <summary>The shift count given as a byte.</summary>
    public static long CountFromByte(long a, byte n) => a << n;
}
