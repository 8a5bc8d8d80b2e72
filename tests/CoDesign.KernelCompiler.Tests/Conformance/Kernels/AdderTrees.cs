namespace CoDesign.Conformance;

/// <summary>
/// Loop-free sums of partial products written out as trees, the shape of the PE's multiplier: terms
/// selected by bit tests, conditionally inverted by an XOR with a negated flag, shifted, with bits ORed
/// into positions another term leaves zero, then added pairwise. Width narrowing must keep each term's
/// sign through the XOR and the shifts.
/// </summary>
public static class AdderTrees
{
    /// <summary>Radix-4 partial products of a byte and 8 digit pairs of two masks, any masks (not only CSD ones).</summary>
    public static int Radix4(byte x, ushort plus, ushort minus)
    {
        int digits = plus | minus;
        int t0 = Term(x, digits, minus, 0, 0);
        int t1 = Term(x, digits, minus, 2, Negative(minus, 0));
        int t2 = Term(x, digits, minus, 4, Negative(minus, 2));
        int t3 = Term(x, digits, minus, 6, Negative(minus, 4));
        int sum0 = (t0 + t1) + (t2 + t3);
        int t4 = Term(x, digits, minus, 8, Negative(minus, 6));
        int t5 = Term(x, digits, minus, 10, Negative(minus, 8));
        int t6 = Term(x, digits, minus, 12, Negative(minus, 10));
        int t7 = Term(x, digits, minus, 14, Negative(minus, 12));
        int sum1 = (t4 + t5) + (t6 + t7);
        return sum0 + sum1 + Negative(minus, 14);
    }

    /// <summary>The PE's path in one kernel: a short recoded by Reitwiesner's identity, then the radix-4 tree; equals x * constant.</summary>
    public static int RecodeAndMultiply(byte x, short constant)
    {
        int h = constant >> 1;
        int t = constant + h;
        int differ = h ^ t;
        ushort plus = (ushort)(t & differ);
        ushort minus = (ushort)(h & differ);
        return Radix4(x, plus, minus);
    }

    /// <summary>Four signed bytes, each negated (inverted, +1 folded into the next term's free low bits) when its bit of <paramref name="negate"/> is set.</summary>
    public static int SignedTermsTree(sbyte a, sbyte b, sbyte c, sbyte d, byte negate)
    {
        int na = negate & 1;
        int nb = (negate >> 1) & 1;
        int nc = (negate >> 2) & 1;
        int nd = (negate >> 3) & 1;
        int ta = a ^ -na;
        int tb = ((b ^ -nb) << 10) | na;
        int tc = ((c ^ -nc) << 20) | (nb << 10);
        int td = ((nd != 0 ? -d : d) << 30) | (nc << 20);
        return (ta + tb) + (tc + td);
    }

    private static int Negative(int minus, int position) => ((minus >> position) & 3) != 0 ? 1 << position : 0;

    private static int Term(byte x, int digits, int minus, int position, int carry)
    {
        int magnitude = ((digits >> position) & 1) != 0 ? x : ((digits >> position) & 2) != 0 ? x << 1 : 0;
        int negative = ((minus >> position) & 3) != 0 ? 1 : 0;
        return ((magnitude ^ -negative) << position) | carry;
    }

    /// <summary>A signed byte and a short conditionally inverted and shifted, then ORed with a flag in a free low bit.</summary>
    public static long InvertShiftOr(sbyte a, short b, bool invertA, bool invertB)
    {
        int na = invertA ? 1 : 0;
        int nb = invertB ? 1 : 0;
        long ta = (long)((a ^ -na) << 3) | (long)(nb << 1);
        long tb = (long)((b ^ -nb) << 9) | (long)(na << 2);
        return ta + tb;
    }

    /// <summary>A tree of six unsigned terms of different widths and shifts, summed unbalanced then balanced.</summary>
    public static uint MixedWidths(byte a, ushort b, uint c, byte select)
    {
        uint t0 = (select & 1) != 0 ? a : 0u;
        uint t1 = (select & 2) != 0 ? (uint)b << 4 : 0u;
        uint t2 = (select & 4) != 0 ? c >> 7 : 0u;
        uint t3 = (select & 8) != 0 ? (uint)a << 20 : (uint)b;
        uint t4 = ~(uint)a & 0xFF;
        uint t5 = (uint)(b ^ a) << 1;
        uint unbalanced = ((t0 + t1) + t2) + t3;
        return unbalanced + (t4 + t5);
    }
}
