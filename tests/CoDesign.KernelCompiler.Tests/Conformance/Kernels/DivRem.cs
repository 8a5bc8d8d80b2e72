namespace CoDesign.Conformance;

/// <summary>/ and % signed and unsigned with negative operands, truncating toward zero; divisors guarded in the kernel.</summary>
public static class DivRem
{
    /// <summary>int division guarded against zero and int.MinValue / -1.</summary>
    public static int DivideInt(int a, int b) => b == 0 || (a == int.MinValue && b == -1) ? 0 : a / b;

    /// <summary>int remainder takes the dividend's sign.</summary>
    public static int RemainderInt(int a, int b) => b == 0 || b == -1 ? 0 : a % b;

    /// <summary>uint division.</summary>
    public static uint DivideUint(uint a, uint b) => b == 0 ? uint.MaxValue : a / b;

    /// <summary>uint remainder.</summary>
    public static uint RemainderUint(uint a, uint b) => b == 0 ? a : a % b;

    /// <summary>long division guarded against zero and long.MinValue / -1.</summary>
    public static long DivideLong(long a, long b) => b == 0 || (a == long.MinValue && b == -1) ? 0 : a / b;

    /// <summary>long remainder.</summary>
    public static long RemainderLong(long a, long b) => b == 0 || b == -1 ? 0 : a % b;

    /// <summary>byte division (as int).</summary>
    public static int DivideByte(byte a, byte b) => b == 0 ? -1 : a / b;

    /// <summary>sbyte.MinValue / -1 is 128 once promoted.</summary>
    public static int DivideSbyte(sbyte a, sbyte b) => b == 0 ? 0 : (a / b) + (a % b);

    /// <summary>Division by constants, one negative.</summary>
    public static int ByConstants(int a) => (a / 7) + (a % -3) + (a / -16);

    /// <summary>Quotient and remainder of a negative dividend by 4.</summary>
    public static void Truncation(int a, out int quotient, out int remainder)
    {
        quotient = a / 4;
        remainder = a % 4;
    }

    /// <summary>Division by a power of two given as a shift count.</summary>
    public static uint ByPowerOfTwo(uint a, int k) => a / (1u << (k & 31));

    /// <summary>/= and %= guarded.</summary>
    public static int CompoundDivRem(int a, int b)
    {
        if (b == 0 || b == -1 || b == 1)
        {
            return a;
        }

        int x = a;
        x /= b;
        x %= b;
        return x;
    }

    /// <summary>ushort % by a char.</summary>
    public static int UshortRemainderChar(ushort a, char c) => c == 0 ? a : a % c;
}
