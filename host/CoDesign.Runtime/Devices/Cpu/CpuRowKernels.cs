using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CoDesign.Runtime.Devices.Cpu;

/// <summary>
/// The CPU device's layer multiply over a block of <see cref="Lanes"/> images held in vector lanes:
/// activations are laid out column by column, <see cref="Lanes"/> 32-bit values per column (one per
/// image), and each row is accumulated in registers over its sparse entries, a pair at a time: the
/// two entries' activations share a 32-bit word (low and high half, each below 256) and <c>vpmaddwd</c>
/// multiplies them by the pair's 16-bit weights and adds, exact in 32 bits; sums wrap modulo 2^32 as the accumulator does, and the order of the
/// integer additions does not change a wrapping sum.
/// </summary>
internal static class CpuRowKernels
{
    /// <summary>Images per block: one 512-bit register of 32-bit lanes.</summary>
    public const int Lanes = 16;

    /// <summary>The path <paramref name="path"/> stands for on this host.</summary>
    public static CpuKernelPath Resolve(CpuKernelPath path) => path switch
    {
        CpuKernelPath.Auto when Avx512BW.IsSupported && Vector512.IsHardwareAccelerated => CpuKernelPath.Avx512,
        CpuKernelPath.Auto when Avx2.IsSupported => CpuKernelPath.Avx2,
        CpuKernelPath.Auto => CpuKernelPath.Portable,
        _ => path,
    };

    /// <summary>Whether this host can run <paramref name="path"/>.</summary>
    public static bool IsSupported(CpuKernelPath path) => path switch
    {
        CpuKernelPath.Avx512 => Avx512BW.IsSupported,
        CpuKernelPath.Avx2 => Avx2.IsSupported,
        _ => true,
    };

    /// <summary>
    /// Rows <paramref name="rowBegin"/> .. <paramref name="rowEnd"/> of <paramref name="layer"/> for the
    /// block's activations <paramref name="x"/> (<c>Cols x Lanes</c>): writes <paramref name="y"/>
    /// (<c>Rows x Lanes</c>), 8-bit activations for a hidden layer, raw sums for the last.
    /// </summary>
    public static void Multiply(CpuKernelPath path, CpuLayer layer, ReadOnlySpan<int> x, Span<int> y, int rowBegin, int rowEnd)
    {
        switch (path)
        {
            case CpuKernelPath.Avx512:
                MultiplyAvx512(layer, x, y, rowBegin, rowEnd);
                break;
            case CpuKernelPath.Avx2:
                MultiplyAvx2(layer, x, y, rowBegin, rowEnd);
                break;
            default:
                MultiplyPortable(layer, x, y, rowBegin, rowEnd);
                break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyAvx512(CpuLayer layer, ReadOnlySpan<int> x, Span<int> y, int rowBegin, int rowEnd)
    {
        ref int xs = ref MemoryMarshal.GetReference(x);
        ref int ys = ref MemoryMarshal.GetReference(y);
        ref int columns = ref MemoryMarshal.GetArrayDataReference(layer.Columns);
        ref int pairs = ref MemoryMarshal.GetArrayDataReference(layer.PairWeights);
        int[] starts = layer.RowStarts;
        for (int r = rowBegin; r < rowEnd; r++)
        {
            Vector512<int> a0 = Vector512.Create(layer.Bias[r]);
            Vector512<int> a1 = Vector512<int>.Zero;
            for (int e = starts[r]; e < starts[r + 1]; e += CpuLayer.RowMultiple)
            {
                a0 += Avx512BW.MultiplyAddAdjacent(Pair512(ref xs, ref columns, e), Vector512.Create(Unsafe.Add(ref pairs, e / 2)).AsInt16());
                a1 += Avx512BW.MultiplyAddAdjacent(Pair512(ref xs, ref columns, e + 2), Vector512.Create(Unsafe.Add(ref pairs, (e / 2) + 1)).AsInt16());
            }

            Vector512<int> sum = a0 + a1;
            (layer.Raw ? sum : Requantize(sum, layer.Shift)).StoreUnsafe(ref ys, (nuint)(r * Lanes));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyAvx2(CpuLayer layer, ReadOnlySpan<int> x, Span<int> y, int rowBegin, int rowEnd)
    {
        ref int xs = ref MemoryMarshal.GetReference(x);
        ref int ys = ref MemoryMarshal.GetReference(y);
        ref int columns = ref MemoryMarshal.GetArrayDataReference(layer.Columns);
        ref int pairs = ref MemoryMarshal.GetArrayDataReference(layer.PairWeights);
        int[] starts = layer.RowStarts;
        for (int r = rowBegin; r < rowEnd; r++)
        {
            // Lanes 0..7 and 8..15 of the block, one pair of entries each step.
            Vector256<int> lo = Vector256.Create(layer.Bias[r]);
            Vector256<int> hi = lo;
            for (int e = starts[r]; e < starts[r + 1]; e += 2)
            {
                nuint c0 = (nuint)(Unsafe.Add(ref columns, e) * Lanes);
                nuint c1 = (nuint)(Unsafe.Add(ref columns, e + 1) * Lanes);
                Vector256<short> w = Vector256.Create(Unsafe.Add(ref pairs, e / 2)).AsInt16();
                lo += Avx2.MultiplyAddAdjacent((Vector256.LoadUnsafe(ref xs, c0) | (Vector256.LoadUnsafe(ref xs, c1) << 16)).AsInt16(), w);
                hi += Avx2.MultiplyAddAdjacent((Vector256.LoadUnsafe(ref xs, c0 + 8) | (Vector256.LoadUnsafe(ref xs, c1 + 8) << 16)).AsInt16(), w);
            }

            nuint at = (nuint)(r * Lanes);
            (layer.Raw ? lo : Requantize(lo, layer.Shift)).StoreUnsafe(ref ys, at);
            (layer.Raw ? hi : Requantize(hi, layer.Shift)).StoreUnsafe(ref ys, at + 8);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyPortable(CpuLayer layer, ReadOnlySpan<int> x, Span<int> y, int rowBegin, int rowEnd)
    {
        int width = Vector<int>.Count;
        int[] starts = layer.RowStarts;
        int[] columns = layer.Columns;
        int[] weights = layer.Weights;
        for (int r = rowBegin; r < rowEnd; r++)
        {
            for (int lane = 0; lane < Lanes; lane += width)
            {
                var a0 = new Vector<int>(layer.Bias[r]);
                Vector<int> a1 = Vector<int>.Zero;
                for (int e = starts[r]; e < starts[r + 1]; e += 2)
                {
                    a0 += new Vector<int>(x.Slice((columns[e] * Lanes) + lane, width)) * new Vector<int>(weights[e]);
                    a1 += new Vector<int>(x.Slice((columns[e + 1] * Lanes) + lane, width)) * new Vector<int>(weights[e + 1]);
                }

                Vector<int> sum = a0 + a1;
                (layer.Raw ? sum : Requantize(sum, layer.Shift)).CopyTo(y.Slice((r * Lanes) + lane, width));
            }
        }
    }

    /// <summary>Entries e and e + 1's activations in one word per lane: e's in the low half, e + 1's in the high (both below 256).</summary>
    private static Vector512<short> Pair512(ref int xs, ref int columns, int e) =>
        (Vector512.LoadUnsafe(ref xs, (nuint)(Unsafe.Add(ref columns, e) * Lanes))
        | (Vector512.LoadUnsafe(ref xs, (nuint)(Unsafe.Add(ref columns, e + 1) * Lanes)) << 16)).AsInt16();

    /// <summary>
    /// <see cref="Kernels.Requantizer.ReluShiftSaturate(int, int)"/> on every lane: ReLU, a right shift
    /// rounding half up, saturation to 255. After the ReLU a value is below 2^31, so adding the rounding
    /// bit (at most 2^30) cannot pass 2^32 and an unsigned shift gives the kernel's 64-bit result.
    /// </summary>
    internal static Vector512<int> Requantize(Vector512<int> acc, int shift)
    {
        Vector512<uint> positive = Vector512.Max(acc, Vector512<int>.Zero).AsUInt32();
        Vector512<uint> scaled = Vector512.ShiftRightLogical(positive + Vector512.Create(Rounding(shift)), shift);
        return Vector512.Min(scaled, Vector512.Create(255u)).AsInt32();
    }

    /// <inheritdoc cref="Requantize(Vector512{int}, int)"/>
    internal static Vector256<int> Requantize(Vector256<int> acc, int shift)
    {
        Vector256<uint> positive = Vector256.Max(acc, Vector256<int>.Zero).AsUInt32();
        Vector256<uint> scaled = Vector256.ShiftRightLogical(positive + Vector256.Create(Rounding(shift)), shift);
        return Vector256.Min(scaled, Vector256.Create(255u)).AsInt32();
    }

    /// <inheritdoc cref="Requantize(Vector512{int}, int)"/>
    internal static Vector<int> Requantize(Vector<int> acc, int shift)
    {
        Vector<uint> positive = Vector.AsVectorUInt32(Vector.Max(acc, Vector<int>.Zero));
        Vector<uint> scaled = Vector.ShiftRightLogical(positive + new Vector<uint>(Rounding(shift)), shift);
        return Vector.AsVectorInt32(Vector.Min(scaled, new Vector<uint>(255u)));
    }

    private static uint Rounding(int shift) => shift > 0 ? 1u << (shift - 1) : 0u;
}
