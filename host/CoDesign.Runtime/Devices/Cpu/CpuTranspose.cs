using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CoDesign.Runtime.Devices.Cpu;

/// <summary>
/// Turns a block's images (one after the other, a byte per pixel) into the row kernels' layout: a
/// column of <see cref="CpuRowKernels.Lanes"/> 32-bit lanes per pixel, one lane per image. The vector
/// paths transpose 16 x 16 bytes at a time with byte unpacks; lanes past the batch's end are zero.
/// </summary>
internal static class CpuTranspose
{
    private const int Lanes = CpuRowKernels.Lanes;

    /// <summary>Writes <paramref name="valid"/> images of <paramref name="size"/> bytes from <paramref name="images"/> into <paramref name="x"/>.</summary>
    public static void Images(CpuKernelPath path, ReadOnlySpan<byte> images, int valid, int size, Span<int> x)
    {
        int c = 0;
        if (path is CpuKernelPath.Avx512 or CpuKernelPath.Avx2 && Sse2.IsSupported)
        {
            c = Vectorized(path, images, valid, size, x);
        }

        // Columns after the last whole 16, or every column on the portable path.
        for (; c < size; c++)
        {
            Span<int> column = x.Slice(c * Lanes, Lanes);
            for (int i = 0; i < Lanes; i++)
            {
                column[i] = i < valid ? images[(i * size) + c] : 0;
            }
        }
    }

    /// <summary>Transposes whole groups of 16 columns; returns the first column it left.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Vectorized(CpuKernelPath path, ReadOnlySpan<byte> images, int valid, int size, Span<int> x)
    {
        ref byte source = ref MemoryMarshal.GetReference(images);
        ref int target = ref MemoryMarshal.GetReference(x);
        Span<Vector128<byte>> rows = stackalloc Vector128<byte>[Lanes];
        Span<Vector128<byte>> next = stackalloc Vector128<byte>[Lanes];
        int c = 0;
        for (; c + 16 <= size; c += 16)
        {
            for (int i = 0; i < Lanes; i++)
            {
                rows[i] = i < valid ? Vector128.LoadUnsafe(ref source, (nuint)((i * size) + c)) : Vector128<byte>.Zero;
            }

            // Four rounds of interleaving row k with row k + 8 rotate the (row, column) index bits by four: a transpose.
            for (int round = 0; round < 4; round++)
            {
                for (int k = 0; k < 8; k++)
                {
                    next[2 * k] = Sse2.UnpackLow(rows[k], rows[k + 8]);
                    next[(2 * k) + 1] = Sse2.UnpackHigh(rows[k], rows[k + 8]);
                }

                next.CopyTo(rows);
            }

            for (int j = 0; j < 16; j++)
            {
                nuint at = (nuint)((c + j) * Lanes);
                if (path == CpuKernelPath.Avx512)
                {
                    Avx512F.ConvertToVector512Int32(rows[j]).StoreUnsafe(ref target, at);
                }
                else
                {
                    Avx2.ConvertToVector256Int32(rows[j]).StoreUnsafe(ref target, at);
                    Avx2.ConvertToVector256Int32(Sse2.ShiftRightLogical128BitLane(rows[j], 8)).StoreUnsafe(ref target, at + 8);
                }
            }
        }

        return c;
    }
}
