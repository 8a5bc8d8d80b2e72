using CoDesign.KernelCompiler.Signature;

namespace CoDesign.KernelCompiler.Passes;

/// <summary>A range of C# values, both ends included (Int128 holds every long and ulong).</summary>
internal readonly record struct Interval(Int128 Low, Int128 High)
{
    public static Interval Of(Int128 value) => new(value, value);

    /// <summary>Every value of <paramref name="type"/>.</summary>
    public static Interval Full(KernelValueType type) => type.IsBool
        ? new Interval(0, 1)
        : new Interval(type.Signed ? (Int128)type.MinValue : 0, (Int128)type.MaxValue);

    /// <summary>The C# value of a canonical 64-bit pattern of <paramref name="type"/>.</summary>
    public static Int128 ValueOf(long pattern, KernelValueType type) => !type.Signed && type.Bits == 64 ? (Int128)(ulong)pattern : pattern;

    public Interval Union(Interval other) => new(Int128.Min(Low, other.Low), Int128.Max(High, other.High));

    /// <summary>The values in both (this one when they do not meet, which a sound analysis never gives).</summary>
    public Interval Intersect(Interval? other) =>
        other is { } o && Int128.Max(Low, o.Low) <= Int128.Min(High, o.High) ? new(Int128.Max(Low, o.Low), Int128.Min(High, o.High)) : this;

    public bool Within(Interval other) => Low >= other.Low && High <= other.High;

    /// <summary>This range when every value fits <paramref name="type"/>; otherwise the type's (the operation may wrap).</summary>
    public Interval In(KernelValueType type)
    {
        Interval full = Full(type);
        return Within(full) ? this : full;
    }

    public bool NonNegative => Low >= 0;

    public Int128 MaxMagnitude => Int128.Max(Int128.Abs(Low), Int128.Abs(High));

    /// <summary>Bits of the smallest signed storage holding the range.</summary>
    public int SignedBits
    {
        get
        {
            int bits = 1;
            while (Low < -(Int128.One << (bits - 1)) || High > (Int128.One << (bits - 1)) - 1)
            {
                bits++;
            }

            return bits;
        }
    }
}
