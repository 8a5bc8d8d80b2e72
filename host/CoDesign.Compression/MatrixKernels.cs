using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace CoDesign.Compression;

/// <summary>
/// The dense float matrix products training needs, all row-major. One product shape serves every
/// use: <c>C = A · Bᵀ</c>, where each element is a dot product of a row of A with a row of B, so
/// both operands stream through memory contiguously. Forward passes use it with the weight matrix
/// as B; gradients use it on transposed copies (transposes are cheap next to the products).
/// </summary>
/// <remarks>
/// Each element of C is computed by exactly one thread in a fixed order, so results do not depend
/// on how the work is scheduled: training is deterministic for a given seed on a given machine.
/// </remarks>
internal static class MatrixKernels
{
    private const int RowBlock = 4;

    /// <summary>
    /// <c>C[m x n] = A[m x k] · B[n x k]ᵀ</c> over the leading parts of the arrays. With
    /// <paramref name="parallel"/> the rows of C are shared among the cores.
    /// </summary>
    public static void MultiplyTransposed(float[] a, float[] b, float[] c, int m, int n, int k, bool parallel)
    {
        if (a.Length < (long)m * k || b.Length < (long)n * k || c.Length < (long)m * n)
        {
            throw new ArgumentException($"buffers too small for a {m} x {k} by ({n} x {k})ᵀ product");
        }

        int blocks = (m + RowBlock - 1) / RowBlock;
        if (!parallel || blocks < 2 || (long)m * n * k < 1 << 16)
        {
            MultiplyRowBlocks(a, b, c, m, n, k, 0, blocks);
            return;
        }

        // A few chunks per core balance the load without paying for many tiny tasks.
        int chunks = Math.Min(blocks, Environment.ProcessorCount * 4);
        Parallel.For(0, chunks, chunk =>
        {
            int first = (int)((long)blocks * chunk / chunks);
            int last = (int)((long)blocks * (chunk + 1) / chunks);
            MultiplyRowBlocks(a, b, c, m, n, k, first, last);
        });
    }

    /// <summary>Writes the transpose of the row-major <paramref name="rows"/> x <paramref name="cols"/> <paramref name="source"/> into <paramref name="target"/>.</summary>
    public static void Transpose(float[] source, int rows, int cols, float[] target)
    {
        // Tiles keep both the reads and the writes within a few cache lines at a time.
        const int Tile = 32;
        for (int r0 = 0; r0 < rows; r0 += Tile)
        {
            int r1 = Math.Min(rows, r0 + Tile);
            for (int c0 = 0; c0 < cols; c0 += Tile)
            {
                int c1 = Math.Min(cols, c0 + Tile);
                for (int r = r0; r < r1; r++)
                {
                    for (int col = c0; col < c1; col++)
                    {
                        target[(col * rows) + r] = source[(r * cols) + col];
                    }
                }
            }
        }
    }

    private static void MultiplyRowBlocks(float[] a, float[] b, float[] c, int m, int n, int k, int firstBlock, int lastBlock)
    {
        for (int block = firstBlock; block < lastBlock; block++)
        {
            int i = block * RowBlock;
            if (i + RowBlock <= m)
            {
                int j = 0;
                for (; j + 2 <= n; j += 2)
                {
                    Dot4x2(a, b, c, i, j, n, k);
                }

                for (; j < n; j++)
                {
                    for (int r = 0; r < RowBlock; r++)
                    {
                        c[((i + r) * n) + j] = TensorPrimitives.Dot(a.AsSpan((i + r) * k, k), b.AsSpan(j * k, k));
                    }
                }
            }
            else
            {
                for (int r = i; r < m; r++)
                {
                    ReadOnlySpan<float> row = a.AsSpan(r * k, k);
                    for (int j = 0; j < n; j++)
                    {
                        c[(r * n) + j] = TensorPrimitives.Dot(row, b.AsSpan(j * k, k));
                    }
                }
            }
        }
    }

    /// <summary>
    /// Eight dot products at once: rows i..i+3 of A with rows j, j+1 of B. Each loaded vector feeds
    /// two or four multiply-adds, which keeps the FMA units rather than the loads the bottleneck;
    /// eight accumulators plus six operands fit the 16 vector registers of AVX2.
    /// </summary>
    private static void Dot4x2(float[] a, float[] b, float[] c, int i, int j, int n, int k)
    {
        ref float aRef = ref MemoryMarshal.GetArrayDataReference(a);
        ref float bRef = ref MemoryMarshal.GetArrayDataReference(b);
        nuint a0 = (nuint)(i * k);
        nuint a1 = a0 + (nuint)k;
        nuint a2 = a1 + (nuint)k;
        nuint a3 = a2 + (nuint)k;
        nuint b0 = (nuint)(j * k);
        nuint b1 = b0 + (nuint)k;
        Vector<float> s00 = Vector<float>.Zero, s01 = Vector<float>.Zero;
        Vector<float> s10 = Vector<float>.Zero, s11 = Vector<float>.Zero;
        Vector<float> s20 = Vector<float>.Zero, s21 = Vector<float>.Zero;
        Vector<float> s30 = Vector<float>.Zero, s31 = Vector<float>.Zero;
        int width = Vector<float>.Count;
        int vectorEnd = k - (k % width);
        for (nuint p = 0; p < (nuint)vectorEnd; p += (nuint)width)
        {
            Vector<float> w0 = Vector.LoadUnsafe(ref bRef, b0 + p);
            Vector<float> w1 = Vector.LoadUnsafe(ref bRef, b1 + p);
            Vector<float> x = Vector.LoadUnsafe(ref aRef, a0 + p);
            s00 = Vector.MultiplyAddEstimate(x, w0, s00);
            s01 = Vector.MultiplyAddEstimate(x, w1, s01);
            x = Vector.LoadUnsafe(ref aRef, a1 + p);
            s10 = Vector.MultiplyAddEstimate(x, w0, s10);
            s11 = Vector.MultiplyAddEstimate(x, w1, s11);
            x = Vector.LoadUnsafe(ref aRef, a2 + p);
            s20 = Vector.MultiplyAddEstimate(x, w0, s20);
            s21 = Vector.MultiplyAddEstimate(x, w1, s21);
            x = Vector.LoadUnsafe(ref aRef, a3 + p);
            s30 = Vector.MultiplyAddEstimate(x, w0, s30);
            s31 = Vector.MultiplyAddEstimate(x, w1, s31);
        }

        float t00 = Vector.Sum(s00), t01 = Vector.Sum(s01);
        float t10 = Vector.Sum(s10), t11 = Vector.Sum(s11);
        float t20 = Vector.Sum(s20), t21 = Vector.Sum(s21);
        float t30 = Vector.Sum(s30), t31 = Vector.Sum(s31);
        for (int p = vectorEnd; p < k; p++)
        {
            float w0 = b[(int)b0 + p];
            float w1 = b[(int)b1 + p];
            t00 += a[(int)a0 + p] * w0;
            t01 += a[(int)a0 + p] * w1;
            t10 += a[(int)a1 + p] * w0;
            t11 += a[(int)a1 + p] * w1;
            t20 += a[(int)a2 + p] * w0;
            t21 += a[(int)a2 + p] * w1;
            t30 += a[(int)a3 + p] * w0;
            t31 += a[(int)a3 + p] * w1;
        }

        int row = i * n;
        c[row + j] = t00;
        c[row + j + 1] = t01;
        row += n;
        c[row + j] = t10;
        c[row + j + 1] = t11;
        row += n;
        c[row + j] = t20;
        c[row + j + 1] = t21;
        row += n;
        c[row + j] = t30;
        c[row + j + 1] = t31;
    }
}
