namespace CoDesign.Conformance;

/// <summary>Range contracts on parameters: the CPU checks them, the compiler narrows the inputs to them.</summary>
public static class Contracts
{
    /// <summary>A shift count of 0..31 on a long: the shifter needs 5 count bits and no masking beyond them.</summary>
    public static long ShiftBy(long value, int shift)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shift);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(shift, 31);
        return value >> shift;
    }

    /// <summary>A signed 4-bit range stated with both ends exclusive.</summary>
    public static int Nibble(int a, int b)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(a, -9);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(a, 8);
        return (a * b) + a;
    }

    /// <summary>Two contracts on one parameter intersect; a loop bounded by the parameter gets a narrow counter.</summary>
    public static int CountUpTo(ReadOnlySpan<int> data, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, 100);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, 12);
        int sum = 0;
        for (int i = 0; i < limit && i < data.Length; i++)
        {
            sum += data[i];
        }

        return sum;
    }

    /// <summary>An unsigned byte-sized value in a uint, and a long that must be at least a negative bound.</summary>
    public static long Mixed(uint code, long offset)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(code, 255u);
        ArgumentOutOfRangeException.ThrowIfLessThan(offset, -1000);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset, 1000);
        return offset + (code << 3);
    }

    /// <summary>A contract in an inlined callee: checked on the CPU, the caller's range flows in.</summary>
    public static int Caller(int x)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(x);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(x, 1000);
        return Callee(x) + 1;
    }

    /// <summary>The callee of <see cref="Caller"/>.</summary>
    public static int Callee(int y)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(y, 5000);
        return y * 3;
    }
}
