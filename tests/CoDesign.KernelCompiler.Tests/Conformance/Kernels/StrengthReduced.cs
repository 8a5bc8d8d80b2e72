namespace CoDesign.Conformance;

/// <summary>Operations strength reduction rewrites: by powers of two, and comparisons that are bit tests.</summary>
public static class StrengthReduced
{
    /// <summary>int times powers of two, the constant on either side, wrapping.</summary>
    public static int MultiplyInt(int a) => unchecked((a * 8) + (32 * a) - (a * 1073741824));

    /// <summary>long and byte times powers of two.</summary>
    public static long MultiplyLong(long a, byte b) => unchecked((a * 4096) + (b * 2));

    /// <summary>Unsigned division and remainder by powers of two.</summary>
    public static uint DivRemUint(uint a) => (a / 16) + (a % 64) + (a / 2147483648u);

    /// <summary>ulong remainder by a power of two.</summary>
    public static ulong RemUlong(ulong a) => (a % 1024) ^ (a / 4);

    /// <summary>Signed division by powers of two truncates toward zero.</summary>
    public static int DivideInt(int a) => (a / 4) - (a / 1073741824) + (a / 2);

    /// <summary>Signed remainder by powers of two takes the dividend's sign.</summary>
    public static int RemainderInt(int a) => (a % 8) * 100 + (a % 2);

    /// <summary>Quotient and remainder of a long, as out parameters.</summary>
    public static void DivRemLong(long a, out long quotient, out long remainder)
    {
        quotient = a / 65536;
        remainder = a % 65536;
    }

    /// <summary>sbyte promoted to int, then divided.</summary>
    public static int DivideSbyte(sbyte a) => (a / 16) + (a % 16);

    /// <summary>Sign tests of an int against 0.</summary>
    public static int SignTests(int a) => (a < 0 ? 1 : 0) + (a >= 0 ? 2 : 0) + (a <= 0 ? 4 : 0) + (a > 0 ? 8 : 0);

    /// <summary>Sign tests of a long and a short.</summary>
    public static int SignTestsMixed(long a, short b) => (a <= 0 ? 1 : 0) + (b > 0 ? 2 : 0) + (b < 0 ? 4 : 0) + (a >= 0 ? 8 : 0);

    /// <summary>Unsigned comparisons with powers of two and one less.</summary>
    public static int UnsignedBounds(uint a) => (a >= 512 ? 1 : 0) + (a < 256 ? 2 : 0) + (a > 510 ? 4 : 0) + (a <= 1023 ? 8 : 0) + (a >= 511 ? 16 : 0) + (a < 127 ? 32 : 0);

    /// <summary>Comparisons at the top of the range: nothing to reduce for x &lt;= max.</summary>
    public static int UnsignedEdges(ushort a, ulong b) => (a <= 65535 ? 1 : 0) + (a > 32767 ? 2 : 0) + (b >= 9223372036854775808UL ? 4 : 0) + (b < 2 ? 8 : 0);

    /// <summary>The requantizer's shape: the saturation test and the ReLU as bit tests.</summary>
    public static byte Saturate(int value, int shift)
    {
        uint u = unchecked((uint)value << 1) >> shift;
        return value <= 0 ? (byte)0 : u >= 511 ? (byte)255 : (byte)((u + 1) >> 1);
    }

    /// <summary>A loop whose test compares with a power of two stays a comparison (its bound narrows the counter).</summary>
    public static int LoopBound(ReadOnlySpan<int> data)
    {
        int sum = 0;
        for (int i = 0; i < data.Length && i < 8; i++)
        {
            sum += data[i] / 8;
        }

        return sum;
    }
}
