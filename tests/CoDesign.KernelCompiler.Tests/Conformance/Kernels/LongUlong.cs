namespace CoDesign.Conformance;

/// <summary>64-bit arithmetic, signed and unsigned, and values above long.MaxValue.</summary>
public static class LongUlong
{
    /// <summary>ulong multiplication keeping the low 64 bits.</summary>
    public static ulong MultiplyUlong(ulong a, ulong b) => a * b;

    /// <summary>Negating long.MinValue wraps to itself.</summary>
    public static long NegateLong(long a) => -a;

    /// <summary>ulong addition with its carry out.</summary>
    public static ulong AddWithCarry(ulong a, ulong b, out bool carry)
    {
        ulong sum = a + b;
        carry = sum < a;
        return sum;
    }

    /// <summary>ulong division and remainder, guarded.</summary>
    public static ulong DivideUlong(ulong a, ulong b) => b == 0 ? 0 : (a / b) + (a % b);

    /// <summary>Arithmetic right shift of a long.</summary>
    public static long ShiftRightLong(long a, int n) => a >> (n & 63);

    /// <summary>int times long widens the int.</summary>
    public static long IntTimesLong(int a, long b) => a * b;

    /// <summary>Setting the top bit of a ulong (prints above long.MaxValue).</summary>
    public static ulong SetTopBit(ulong a) => a | 0x8000_0000_0000_0000UL;

    /// <summary>A 32 x 32 to 64-bit multiply.</summary>
    public static ulong WideMultiply(uint a, uint b) => (ulong)a * b;

    /// <summary>uint plus long is long; uint plus int is long too.</summary>
    public static long MixedPromotion(uint a, int b) => a + b;

    /// <summary>High 64 bits of a 64 x 64 product, from 32-bit halves.</summary>
    public static ulong MultiplyHigh(ulong a, ulong b)
    {
        ulong aLow = (uint)a;
        ulong aHigh = a >> 32;
        ulong bLow = (uint)b;
        ulong bHigh = b >> 32;
        ulong lowLow = aLow * bLow;
        ulong highLow = aHigh * bLow;
        ulong lowHigh = aLow * bHigh;
        ulong highHigh = aHigh * bHigh;
        ulong middle = (lowLow >> 32) + (uint)highLow + (uint)lowHigh;
        return highHigh + (highLow >> 32) + (lowHigh >> 32) + (middle >> 32);
    }
}
