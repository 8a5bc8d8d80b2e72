namespace CoDesign.Kernels;

/// <summary>
/// The end of a layer: bias, ReLU and requantization of 32-bit accumulators to 8-bit activations.
/// </summary>
public static class Requantizer
{
    /// <summary>Adds the bias to every accumulator, wrapping modulo 2^32 like the accumulator itself.</summary>
    public static void AddBias(Span<int> acc, ReadOnlySpan<int> bias)
    {
        for (int i = 0; i < acc.Length; i++)
        {
            acc[i] = unchecked(acc[i] + bias[i]);
        }
    }

    /// <summary>
    /// ReLU, then an arithmetic right shift by <paramref name="shift"/> (0..31) that rounds half up,
    /// then saturation to 0..255. Negative values become 0 (that is the ReLU).
    /// </summary>
    public static void ReluShiftSaturate(ReadOnlySpan<int> acc, int shift, Span<byte> activations)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shift);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(shift, 31);
        for (int i = 0; i < acc.Length; i++)
        {
            activations[i] = ReluShiftSaturate(acc[i], shift);
        }
    }

    /// <summary>The same operation on one value, for references and the dense path.</summary>
    /// <remarks>
    /// The hardware's algorithm: with <c>u = 2 * value &gt;&gt; shift</c> (unsigned, exact for a
    /// positive int), <c>(value + 2^(shift-1)) &gt;&gt; shift</c> is <c>(u + 1) &gt;&gt; 1</c>, which is
    /// above 255 exactly when <c>u &gt;= 511</c>. So the rounding add is 9 bits wide, not 33, and the
    /// shift-by-0 case needs no special rounding term.
    /// </remarks>
    public static byte ReluShiftSaturate(int value, int shift)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shift);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(shift, 31);
        uint u = unchecked((uint)value << 1) >> shift;
        byte rounded = (byte)(((u & 511) + 1) >> 1);
        return value <= 0 ? (byte)0 : u >= 511 ? (byte)255 : rounded;
    }

    /// <summary>
    /// The end of one output row as the accelerator computes it (the layer engine's requantizer):
    /// the bias added with 32-bit wrap-around, then either that raw sum (the last layer's Raw32
    /// output) or its <see cref="ReluShiftSaturate(int, int)"/> activation, zero-extended.
    /// </summary>
    public static int Requantize(int acc, int bias, int shift, bool raw)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shift);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(shift, 31);
        int sum = unchecked(acc + bias);
        return raw ? sum : ReluShiftSaturate(sum, shift);
    }
}
