using System.Numerics;

namespace CoDesign.Conformance;

/// <summary>Math.Min, Math.Max and BitOperations.PopCount on every width.</summary>
public static class MinMaxPopCount
{
    /// <summary>Math.Min of ints.</summary>
    public static int MinInt(int a, int b) => Math.Min(a, b);

    /// <summary>Math.Max of uints (unsigned order).</summary>
    public static uint MaxUint(uint a, uint b) => Math.Max(a, b);

    /// <summary>Math.Min of longs.</summary>
    public static long MinLong(long a, long b) => Math.Min(a, b);

    /// <summary>Math.Max of bytes stays a byte.</summary>
    public static byte MaxByte(byte a, byte b) => Math.Max(a, b);

    /// <summary>Math.Min of sbytes.</summary>
    public static sbyte MinSbyte(sbyte a, sbyte b) => Math.Min(a, b);

    /// <summary>Math.Max of ulongs above long.MaxValue.</summary>
    public static ulong MaxUlong(ulong a, ulong b) => Math.Max(a, b);

    /// <summary>Clamping with Min and Max (no exception when lo &gt; hi, unlike Math.Clamp).</summary>
    public static int ClampMinMax(int a, int lo, int hi) => Math.Max(lo, Math.Min(a, hi));

    /// <summary>Math.Min of an int and a short (the short widens).</summary>
    public static int MinMixed(int a, short b) => Math.Min(a, b);

    /// <summary>PopCount of a uint.</summary>
    public static int PopCountUint(uint a) => BitOperations.PopCount(a);

    /// <summary>PopCount of a ulong.</summary>
    public static int PopCountUlong(ulong a) => BitOperations.PopCount(a);

    /// <summary>Parity from PopCount of a sign-extended int.</summary>
    public static bool OddParity(int a) => (BitOperations.PopCount((uint)a) & 1) != 0;

    /// <summary>PopCount of a span's elements, with the widest seen.</summary>
    public static int PopCountSpan(ReadOnlySpan<ushort> data, out int widest)
    {
        int total = 0;
        widest = 0;
        for (int i = 0; i < data.Length; i++)
        {
            int count = BitOperations.PopCount((uint)data[i]);
            total += count;
            widest = Math.Max(widest, count);
        }

        return total;
    }
}
