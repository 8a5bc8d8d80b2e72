using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CoDesign.Kernels;

namespace CoDesign.Runtime.Devices.Cpu;

/// <summary>
/// The CPU device's layer multiply for a lone image, where a block of vector lanes would be mostly
/// empty: each row's entries are sorted by weight (<see cref="CpuLayer.RunEnds"/>), so a run of equal
/// weights adds its inputs, four sums deep, and multiplies once. Sums wrap modulo 2^32 like the
/// accumulator's; integer additions in any order give the same wrapped sum.
/// </summary>
internal static class CpuImageKernel
{
    /// <summary>
    /// Rows <paramref name="rowBegin"/> .. <paramref name="rowEnd"/> of <paramref name="layer"/> for
    /// the activations <paramref name="x"/>: raw sums to <paramref name="raw"/> for the last layer,
    /// else 8-bit activations (<see cref="Requantizer.ReluShiftSaturate(int, int)"/>) to <paramref name="activations"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(CpuLayer layer, ReadOnlySpan<byte> x, Span<int> raw, Span<byte> activations, int rowBegin, int rowEnd)
    {
        ref byte xs = ref MemoryMarshal.GetReference(x);
        ref int columns = ref MemoryMarshal.GetArrayDataReference(layer.Columns);
        int[] runEnds = layer.RunEnds;
        int[] runWeights = layer.RunWeights;
        int[] rowRuns = layer.RowRuns;
        for (int r = rowBegin; r < rowEnd; r++)
        {
            int acc = layer.Bias[r];
            int e = layer.RowStarts[r];
            for (int run = rowRuns[r]; run < rowRuns[r + 1]; run++)
            {
                int end = runEnds[run];
                int s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                for (; e + 4 <= end; e += 4)
                {
                    s0 += Unsafe.Add(ref xs, Unsafe.Add(ref columns, e));
                    s1 += Unsafe.Add(ref xs, Unsafe.Add(ref columns, e + 1));
                    s2 += Unsafe.Add(ref xs, Unsafe.Add(ref columns, e + 2));
                    s3 += Unsafe.Add(ref xs, Unsafe.Add(ref columns, e + 3));
                }

                for (; e < end; e++)
                {
                    s0 += Unsafe.Add(ref xs, Unsafe.Add(ref columns, e));
                }

                // Modulo 2^32, (sum of x) * w is the sum of x * w, wrapped or not.
                acc = unchecked(acc + (((s0 + s1) + (s2 + s3)) * runWeights[run]));
            }

            if (layer.Raw)
            {
                raw[r] = acc;
            }
            else
            {
                activations[r] = Requantizer.ReluShiftSaturate(acc, layer.Shift);
            }
        }
    }
}
