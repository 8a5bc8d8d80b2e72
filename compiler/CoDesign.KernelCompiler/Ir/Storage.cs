namespace CoDesign.KernelCompiler.Ir;

/// <summary>
/// How a value sits in hardware: a bit width and whether the bits are two's complement. The C#
/// value is those bits extended by that sign, so a narrower storage than the C# type is exact when
/// the value's range fits (width narrowing proves it does).
/// </summary>
public readonly record struct Storage(int Bits, bool Signed)
{
    /// <summary>The smallest storage that holds every value of [<paramref name="low"/>, <paramref name="high"/>].</summary>
    public static Storage For(Int128 low, Int128 high)
    {
        if (low >= 0)
        {
            return new Storage(Math.Max(1, BitLength(high)), false);
        }

        return new Storage(Math.Max(BitLength(-low - 1), BitLength(high)) + 1, true);
    }

    private static int BitLength(Int128 value)
    {
        int bits = 0;
        while (value > 0)
        {
            bits++;
            value >>= 1;
        }

        return bits;
    }
}
