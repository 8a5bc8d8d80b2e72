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
        for (int i = 0; i < acc.Length; i++)
        {
            activations[i] = ReluShiftSaturate(acc[i], shift);
        }
    }

    /// <summary>The same operation on one value, for references and the dense path.</summary>
    public static byte ReluShiftSaturate(int value, int shift)
    {
        if (value <= 0)
        {
            return 0;
        }

        long scaled = (value + (shift > 0 ? 1L << (shift - 1) : 0)) >> shift;
        return scaled > 255 ? (byte)255 : (byte)scaled;
    }
}
