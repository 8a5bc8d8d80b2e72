using System.Numerics;
using CoDesign.Compression.Spmv;
using CoDesign.Model.MatrixMarket;
using CoDesign.Model.Spmv;
using FsCheck;
using FsCheck.Fluent;

namespace CoDesign.Compression.Tests.Spmv;

public class ExactSpmvTests
{
    private static readonly SpmvOptions FourPes = new(4);

    [Fact]
    public void DiagonalWithAValueBeyondSixteenBitsIsExact()
    {
        // The case that once printed "0 0 400000": -3 and 3 share a codebook, 40000 = 625 * 2^6 needs another.
        var matrix = new SparseMatrixData(3, 3, [new(0, 0, -3), new(1, 1, 3), new(2, 2, 40000)], MatrixValueField.Integer);
        SpmvPlan plan = SpmvPlanner.Plan(matrix, VectorPlanes.Split([10, 10, 10]), FourPes, SpmvTileLimits.None);

        Assert.Equal(2, plan.GroupCount);
        Assert.Equal([-30, 30, 400000], plan.CombineExact(SpmvPlanRunner.Run(plan)));
    }

    [Fact]
    public void TwentyDistinctValuesTakeTwoGroupsAndStayIntegers()
    {
        var entries = Enumerable.Range(0, 20).Select(i => new MatrixEntry(i, i, (i * 37) - 300)).ToList();
        var matrix = new SparseMatrixData(20, 20, entries, MatrixValueField.Integer);
        long[] x = [.. Enumerable.Range(0, 20).Select(i => (long)(3 * i) + 1)];
        SpmvPlan plan = SpmvPlanner.Plan(matrix, VectorPlanes.Split(x), FourPes, SpmvTileLimits.None);

        Assert.Equal(2, plan.GroupCount);
        Assert.Equal(Exact(matrix, x), plan.CombineExact(SpmvPlanRunner.Run(plan)));
    }

    [Fact]
    public void TermsOfAValueAddUpToItAndEachFitsACodebookValue()
    {
        Prop.ForAll(
            Gen.Choose(-1 << 30, 1 << 30).Two().Select(p => ((long)p.Item1 << 22) ^ p.Item2).ToArbitrary(),
            value =>
            {
                long[] terms = [.. ExactCoding.Terms(value)];
                return terms.Sum() == value && terms.All(t => t != 0 && Math.Abs(t >> (int)long.TrailingZeroCount(t)) <= short.MaxValue);
            }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void AnyIntegerMatrixTimesAnyIntegerVectorIsExact()
    {
        // Values from tiny to 2^40, signed vectors of any width, small tiles: every path at once.
        Gen<long> values = Gen.OneOf(Gen.Choose(-20, 20).Select(v => (long)v), Gen.Choose(-40000, 40000).Select(v => (long)v), Gen.Choose(-1 << 20, 1 << 20).Select(v => (long)v << 20));
        Gen<((int, int) Shape, long[] Alphabet, int[] Vector, int PeCount)> cases =
            Gen.Choose(1, 30).Two().SelectMany(shape => values.ArrayOf(60).SelectMany(alphabet => Gen.Choose(-70000, 70000).ArrayOf(30)
                .SelectMany(vector => Gen.Choose(1, 5).Select(peCount => (shape, alphabet, vector, peCount)))));
        Prop.ForAll(
            cases.ToArbitrary(),
            input =>
            {
                ((int, int) shape, long[] alphabet, int[] vector, int peCount) = input;
                (int rows, int cols) = shape;
                var random = new Random(rows * 31 + cols);
                var entries = new List<MatrixEntry>();
                for (int i = 0; i < rows; i++)
                {
                    for (int j = 0; j < cols; j++)
                    {
                        if (random.Next(3) == 0)
                        {
                            entries.Add(new MatrixEntry(i, j, alphabet[random.Next(alphabet.Length)] % (1L << 20)));
                        }
                    }
                }

                var matrix = new SparseMatrixData(rows, cols, entries, MatrixValueField.Integer);
                long[] x = [.. vector.Take(cols).Select(v => (long)v), .. Enumerable.Repeat(7L, Math.Max(0, cols - vector.Length))];
                var limits = new SpmvTileLimits((r, c) => r <= 7 && c <= 9, _ => true);
                SpmvPlan plan = SpmvPlanner.Plan(matrix, VectorPlanes.Split(x), new SpmvOptions(peCount), limits);
                return plan.Passes.All(p => p.Rows <= 7 && p.Cols <= 9) && plan.CombineExact(SpmvPlanRunner.Run(plan)).SequenceEqual(Exact(matrix, x));
            }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void ATileWhoseImageDoesNotFitIsHalvedUntilItDoes()
    {
        var random = new Random(5);
        var entries = Enumerable.Range(0, 400).Select(k => new MatrixEntry(k / 20, k % 20, random.Next(-9, 10))).ToList();
        var matrix = new SparseMatrixData(20, 20, entries, MatrixValueField.Integer);
        long[] x = [.. Enumerable.Range(0, 20).Select(j => (long)j * 11)];
        var limits = new SpmvTileLimits((_, _) => true, model => model.Layers[0].Weights.EntryCount <= 50);
        SpmvPlan plan = SpmvPlanner.Plan(matrix, VectorPlanes.Split(x), FourPes, limits);

        Assert.True(plan.TileCount >= 8, $"{plan.TileCount} tiles");
        Assert.All(plan.Passes, p => Assert.True(p.Model.Layers[0].Weights.EntryCount <= 50));
        Assert.Equal(Exact(matrix, x), plan.CombineExact(SpmvPlanRunner.Run(plan)));
    }

    [Fact]
    public void ATileNeverStagesMoreThanItsCapOfPositions()
    {
        // 6,000 x 6,000 is 36 M positions: without a device limit the cap alone cuts it.
        var entries = Enumerable.Range(0, 300).Select(k => new MatrixEntry(k * 20, (k * 7919) % 6000, k % 13 - 6)).ToList();
        var matrix = new SparseMatrixData(6000, 6000, entries, MatrixValueField.Integer);
        long[] x = [.. Enumerable.Range(0, 6000).Select(j => (long)(j % 251))];
        SpmvPlan plan = SpmvPlanner.Plan(matrix, VectorPlanes.Split(x), FourPes, SpmvTileLimits.None);

        Assert.All(plan.Passes, p => Assert.True((long)p.Rows * p.Cols <= SpmvPlanner.MaxTileCells));
        Assert.Equal(Exact(matrix, x), plan.CombineExact(SpmvPlanRunner.Run(plan)));
    }

    [Fact]
    public void ARowThatCouldOverflowTheAccumulatorIsRefusedByNameUnlessWrapping()
    {
        // Row 2 (1-based) sums 300 x 32767 x 255 = 2.5e9 in one pass; row 1 stays small.
        var entries = new List<MatrixEntry> { new(0, 0, 1) };
        entries.AddRange(Enumerable.Range(0, 300).Select(j => new MatrixEntry(1, j, short.MaxValue)));
        var matrix = new SparseMatrixData(2, 300, entries, MatrixValueField.Integer);
        long[] x = [.. Enumerable.Repeat(255L, 300)];

        ArgumentException refused = Assert.Throws<ArgumentException>(() => SpmvPlanner.Plan(matrix, VectorPlanes.Split(x), FourPes, SpmvTileLimits.None));
        Assert.Contains("row 2 ", refused.Message);
        Assert.Contains("--wrap", refused.Message);

        SpmvPlan plan = SpmvPlanner.Plan(matrix, VectorPlanes.Split(x), FourPes with { Wrap = true }, SpmvTileLimits.None);
        BigInteger[] exact = Exact(matrix, x);
        Assert.Equal(exact.Select(v => (BigInteger)unchecked((int)(uint)(v & uint.MaxValue))), plan.CombineExact(SpmvPlanRunner.Run(plan)));
    }

    [Theory]
    [InlineData(0.5, "not an integer")]
    [InlineData(9007199254740992.0, "2^53")]
    public void ValuesAnExactProductCannotUseAreRefusedWithTheirPosition(double value, string why)
    {
        var matrix = new SparseMatrixData(2, 2, [new(0, 0, 1), new(1, 0, value)]);
        ArgumentException refused = Assert.Throws<ArgumentException>(() => SpmvPlanner.Code(matrix, VectorPlanes.Split([1, 1]), FourPes));
        Assert.Contains("(2, 1)", refused.Message);
        Assert.Contains(why, refused.Message);
    }

    [Fact]
    public void AZeroVectorNeedsNoRunAndGivesZeros()
    {
        var matrix = new SparseMatrixData(2, 2, [new(0, 0, 5), new(1, 1, -5)], MatrixValueField.Integer);
        SpmvPlan plan = SpmvPlanner.Plan(matrix, VectorPlanes.Split([0, 0]), FourPes, SpmvTileLimits.None);
        Assert.Empty(plan.Planes);
        Assert.Equal([0, 0], plan.CombineExact(SpmvPlanRunner.Run(plan)));
    }

    private static BigInteger[] Exact(SparseMatrixData matrix, long[] x)
    {
        var y = new BigInteger[matrix.Rows];
        foreach (MatrixEntry e in matrix.Entries)
        {
            y[e.Row] += (BigInteger)(long)e.Value * x[e.Col];
        }

        return y;
    }
}
