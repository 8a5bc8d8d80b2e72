namespace CoDesign.Conformance;

/// <summary>byte, sbyte, short, ushort and char: promotion to int, and wrapping when stored back.</summary>
public static class NarrowTypes
{
    /// <summary>byte + byte is an int: no wrap at 256.</summary>
    public static int BytesPromote(byte a, byte b) => a + b;

    /// <summary>Cast back to byte wraps.</summary>
    public static byte BytesWrap(byte a, byte b) => (byte)(a + b);

    /// <summary>sbyte * sbyte is an int.</summary>
    public static int SbyteProduct(sbyte a, sbyte b) => a * b;

    /// <summary>Compound assignment on a short wraps at 16 bits.</summary>
    public static short ShortCompound(short a, short b)
    {
        short x = a;
        x += b;
        x *= 2;
        x -= 7;
        return x;
    }

    /// <summary>Negating a ushort gives an int.</summary>
    public static int NegateUshort(ushort a) => -a;

    /// <summary>char arithmetic cast back to char.</summary>
    public static char ShiftChar(char c, int k) => (char)(c + k);

    /// <summary>++ on a byte wraps from 255 to 0.</summary>
    public static byte IncrementByte(byte a)
    {
        a++;
        return a;
    }

    /// <summary>~ on an sbyte is an int.</summary>
    public static int ComplementSbyte(sbyte a) => ~a;

    /// <summary>short division: short.MinValue / -1 is fine once promoted.</summary>
    public static int DivideShorts(short a, short b) => b == 0 ? 0 : a / b;

    /// <summary>-- on a ushort wraps from 0 to 65535; char ++ wraps too.</summary>
    public static int DecrementUshortIncrementChar(ushort a, char c)
    {
        a--;
        c++;
        return a + c;
    }

    /// <summary>sbyte stored into a byte local reinterprets the bits.</summary>
    public static int SbyteIntoByte(sbyte a)
    {
        byte b = (byte)a;
        sbyte back = (sbyte)b;
        return (b * 1000) + back;
    }

    /// <summary>Shift-assign on a byte truncates.</summary>
    public static byte ShiftAssignByte(byte a, int n)
    {
        a <<= n & 7;
        return a;
    }
}
