namespace CoDesign.Conformance;

/// <summary>Explicit and implicit conversions between integer types: truncation, sign and zero extension.</summary>
public static class Casts
{
    /// <summary>int to byte keeps the low 8 bits.</summary>
    public static byte IntToByte(int a) => (byte)a;

    /// <summary>int to sbyte keeps the low 8 bits as a signed value.</summary>
    public static sbyte IntToSbyte(int a) => (sbyte)a;

    /// <summary>long to int truncates.</summary>
    public static int LongToInt(long a) => (int)a;

    /// <summary>uint to long zero-extends.</summary>
    public static long UintToLong(uint a) => a;

    /// <summary>int to ulong sign-extends.</summary>
    public static ulong IntToUlong(int a) => (ulong)a;

    /// <summary>sbyte to uint sign-extends, then reads as unsigned.</summary>
    public static uint SbyteToUint(sbyte a) => (uint)a;

    /// <summary>char promotes to int in arithmetic.</summary>
    public static int CharToInt(char c) => c + 1;

    /// <summary>int to char keeps the low 16 bits.</summary>
    public static char IntToChar(int a) => (char)a;

    /// <summary>short to ushort reinterprets the bits.</summary>
    public static ushort ShortToUshort(short a) => (ushort)a;

    /// <summary>A chain of narrowing and widening casts.</summary>
    public static short Chain(long a) => (short)(byte)(sbyte)a;

    /// <summary>ulong to sbyte and back to long.</summary>
    public static long UlongToSbyte(ulong a) => (sbyte)a;
}
