using FsCheck;
using FsCheck.Fluent;

namespace CoDesign.Kernels.Tests;

/// <summary>
/// The per-PE sparse product: MultiplyAccumulate over every PE's slice plus ScatterRows must equal a plain
/// dense product over codebook values, wrapping modulo 2^32 like a 32-bit accumulator.
/// </summary>
public sealed class SparseMatVecTests
{
    [Fact]
    public void HandComputedProductOnTwoPes()
    {
        // 3 x 4, rows 0 and 2 on PE 0, row 1 on PE 1.
        byte[] indices =
        [
            1, 0, 2, 0,
            0, 3, 0, 1,
            2, 2, 0, 0,
        ];
        short[] codebook = [0, 10, -3, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        byte[] x = [2, 5, 0, 1];

        // Row 0: 10*2 + (-3)*0 = 20. Row 1: 7*5 + 10*1 = 45. Row 2: -3*2 + -3*5 = -21.
        (int[] y, long consumed) = Multiply(new IndexMatrix(3, 4, 2, indices), codebook, x);
        Assert.Equal([20, 45, -21], y);

        // Column 2 (activation 0) holds one entry that is never read; the other columns hold 2 + 2 + 1.
        Assert.Equal(5, consumed);
    }

    [Fact]
    public void MatchesTheDenseReferenceOnRandomInputs()
    {
        var random = new Random(7);
        for (int trial = 0; trial < 200; trial++)
        {
            int rows = random.Next(1, 100);
            int cols = random.Next(1, 40);
            int peCount = random.Next(1, 9);
            double density = new[] { 0.02, 0.1, 0.4, 1.0 }[trial % 4];
            IndexMatrix m = TestMatrices.Random(random, rows, cols, peCount, density);
            short[] codebook = TestMatrices.RandomCodebook(random);
            byte[] x = RandomActivations(random, cols, zeroFraction: trial % 3 * 0.4);

            (int[] y, long consumed) = Multiply(m, codebook, x);
            Assert.Equal(DenseReference(m, codebook, x), y);
            Assert.Equal(ExpectedWork(m, x), consumed);
        }
    }

    [Fact]
    public void MatchesTheDenseReferenceOnGeneratedMatrices()
    {
        Gen<(IndexMatrix M, int Seed)> cases =
            from m in Properties.Matrices().Generator
            from seed in Gen.Choose(0, int.MaxValue)
            select (m, seed);
        Prop.ForAll(cases.ToArbitrary(), c =>
            {
                var random = new Random(c.Seed);
                short[] codebook = TestMatrices.RandomCodebook(random);
                byte[] x = RandomActivations(random, c.M.Cols, zeroFraction: 0.5);
                (int[] y, long consumed) = Multiply(c.M, codebook, x);
                Assert.Equal(DenseReference(c.M, codebook, x), y);
                Assert.Equal(ExpectedWork(c.M, x), consumed);
            })
            .Check(Properties.Config());
    }

    [Fact]
    public void ZeroActivationsCostNoWorkAndColumnsBehindThemAreNeverRead()
    {
        var random = new Random(3);
        IndexMatrix m = TestMatrices.Random(random, 64, 32, 4, 0.3);
        short[] codebook = TestMatrices.RandomCodebook(random);
        byte[] x = RandomActivations(random, 32, zeroFraction: 0.5);
        x[0] = 0;
        x[1] = 17;
        int[] expected = DenseReference(m, codebook, x);

        Slice[] slices = TestMatrices.EncodeAll(m);
        var y = new int[m.Rows];
        long total = 0;
        for (int pe = 0; pe < m.PeCount; pe++)
        {
            // Poison the entries of zero-activation columns: read, they would land far outside the rows.
            byte[] poisoned = (byte[])slices[pe].Entries.Clone();
            for (int j = 0; j < m.Cols; j++)
            {
                if (x[j] == 0)
                {
                    for (int e = slices[pe].Pointers[j]; e < slices[pe].Pointers[j + 1]; e++)
                    {
                        poisoned[e] = 0xFF;
                    }
                }
            }

            var acc = new int[slices[pe].LocalRows];
            long consumed = SparseMatVec.MultiplyAccumulate(poisoned, slices[pe].Pointers, codebook, x, acc);
            Assert.Equal(SparseMatVec.CountWork(slices[pe].Pointers, x), consumed);
            SparseMatVec.ScatterRows(acc, m.PeCount, pe, y);
            total += consumed;
        }

        Assert.Equal(expected, y);
        Assert.Equal(ExpectedWork(m, x), total);
        Assert.True(total < slices.Sum(s => s.Entries.Length), "the zero activations must have saved work");

        // All activations zero: no work at all, and the accumulators are left as they were.
        var zeros = new byte[m.Cols];
        var untouched = new int[slices[0].LocalRows];
        untouched.AsSpan().Fill(-12345);
        Assert.Equal(0, SparseMatVec.MultiplyAccumulate(slices[0].Entries, slices[0].Pointers, codebook, zeros, untouched));
        Assert.Equal(0, SparseMatVec.CountWork(slices[0].Pointers, zeros));
        Assert.All(untouched, v => Assert.Equal(-12345, v));
    }

    [Fact]
    public void PaddingEntriesCostOneCycleEachAndAddNothing()
    {
        // One PE, one column: 40 zeros then a nonzero = two padding entries + one entry = 3 cycles.
        IndexMatrix m = TestMatrices.ColumnWithLocalRun(40, 1);
        short[] codebook = TestMatrices.RandomCodebook(new Random(1));
        (int[] y, long consumed) = Multiply(m, codebook, [3]);
        Assert.Equal(3, consumed);
        Assert.Equal(DenseReference(m, codebook, [3]), y);
        Assert.Equal(codebook[9] * 3, y[^1]);
        Assert.All(y[..^1], v => Assert.Equal(0, v));
    }

    [Fact]
    public void AccumulatesOntoExistingValuesWithWrapAround()
    {
        var random = new Random(9);
        IndexMatrix m = TestMatrices.Random(random, 10, 6, 1, 0.6);
        short[] codebook = TestMatrices.RandomCodebook(random);
        byte[] x = RandomActivations(random, 6, zeroFraction: 0.2);
        Slice slice = TestMatrices.EncodeAll(m)[0];
        int[] start = [int.MaxValue, int.MinValue, -1, 0, 1, 1000, int.MaxValue - 5, int.MinValue + 5, 42, -42];
        int[] acc = (int[])start.Clone();
        SparseMatVec.MultiplyAccumulate(slice.Entries, slice.Pointers, codebook, x, acc);
        int[] product = DenseReference(m, codebook, x);
        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(unchecked((int)((long)start[i] + product[i])), acc[i]);
        }
    }

    [Fact]
    public void FullScaleProductsWrapModulo2To32()
    {
        // 2,000 full-scale products in one row: about -1.7e10 and +1.7e10, far outside 32 bits. The kernel
        // documents two's-complement wrap-around (like a 32-bit hardware accumulator): y = exact sum mod 2^32.
        const int cols = 2000;
        var indices = new byte[2 * cols];
        for (int j = 0; j < cols; j++)
        {
            indices[j] = 1; // row 0: all -32768
            indices[cols + j] = 2; // row 1: all 32767
        }

        short[] codebook = new short[16];
        codebook[1] = short.MinValue;
        codebook[2] = short.MaxValue;
        var x = new byte[cols];
        x.AsSpan().Fill(255);
        var m = new IndexMatrix(2, cols, 2, indices);

        (int[] y, long consumed) = Multiply(m, codebook, x);
        long exact0 = (long)short.MinValue * 255 * cols;
        long exact1 = (long)short.MaxValue * 255 * cols;
        Assert.True(exact0 < int.MinValue && exact1 > int.MaxValue, "the test must overflow 32 bits");
        Assert.Equal(unchecked((int)exact0), y[0]);
        Assert.Equal(unchecked((int)exact1), y[1]);
        Assert.Equal(DenseReference(m, codebook, x), y);
        Assert.Equal(2 * cols, consumed);
    }

    [Fact]
    public void MorePesThanRowsAndSingleColumnShapes()
    {
        var random = new Random(21);
        foreach ((int rows, int cols, int pes) in new[] { (3, 7, 8), (1, 30, 4), (50, 1, 3), (1, 1, 1), (17, 17, 17) })
        {
            IndexMatrix m = TestMatrices.Random(random, rows, cols, pes, 0.5);
            short[] codebook = TestMatrices.RandomCodebook(random);
            byte[] x = RandomActivations(random, cols, zeroFraction: 0.3);
            (int[] y, long consumed) = Multiply(m, codebook, x);
            Assert.Equal(DenseReference(m, codebook, x), y);
            Assert.Equal(ExpectedWork(m, x), consumed);
        }
    }

    [Fact]
    public void ScatterRowsPlacesLocalRowKOfPeAtRowPePlusKTimesN()
    {
        var global = new int[10];
        global.AsSpan().Fill(-1);
        SparseMatVec.ScatterRows([100, 101, 102], 4, 1, global);
        Assert.Equal([-1, 100, -1, -1, -1, 101, -1, -1, -1, 102], global);
        SparseMatVec.ScatterRows([200, 201], 4, 3, global);
        Assert.Equal([-1, 100, -1, 200, -1, 101, -1, 201, -1, 102], global);
    }

    /// <summary>Runs the kernel over every PE's slice and gathers the rows, returning the product and the total work.</summary>
    internal static (int[] Y, long Consumed) Multiply(IndexMatrix m, short[] codebook, byte[] x)
    {
        Slice[] slices = TestMatrices.EncodeAll(m);
        var y = new int[m.Rows];
        long total = 0;
        for (int pe = 0; pe < m.PeCount; pe++)
        {
            var acc = new int[slices[pe].LocalRows];
            long consumed = SparseMatVec.MultiplyAccumulate(slices[pe].Entries, slices[pe].Pointers, codebook, x, acc);
            Assert.Equal(SparseMatVec.CountWork(slices[pe].Pointers, x), consumed);
            SparseMatVec.ScatterRows(acc, m.PeCount, pe, y);
            total += consumed;
        }

        return (y, total);
    }

    /// <summary>y = W x with W[i, j] = codebook[index], in exact 64-bit arithmetic, then wrapped to 32 bits.</summary>
    internal static int[] DenseReference(IndexMatrix m, short[] codebook, byte[] x)
    {
        var y = new int[m.Rows];
        for (int i = 0; i < m.Rows; i++)
        {
            long sum = 0;
            for (int j = 0; j < m.Cols; j++)
            {
                sum += (long)codebook[m[i, j]] * x[j];
            }

            y[i] = unchecked((int)sum);
        }

        return y;
    }

    /// <summary>Entries (padding included) of the columns whose activation is nonzero, from the specification.</summary>
    private static long ExpectedWork(IndexMatrix m, byte[] x)
    {
        long work = 0;
        for (int pe = 0; pe < m.PeCount; pe++)
        {
            for (int j = 0; j < m.Cols; j++)
            {
                if (x[j] != 0)
                {
                    work += TestMatrices.ReferenceColumn(m, pe, j).Count;
                }
            }
        }

        return work;
    }

    private static byte[] RandomActivations(Random random, int count, double zeroFraction)
    {
        var x = new byte[count];
        for (int j = 0; j < count; j++)
        {
            x[j] = random.NextDouble() < zeroFraction ? (byte)0 : (byte)random.Next(1, 256);
        }

        return x;
    }
}
