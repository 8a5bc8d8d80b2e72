using CoDesign.Model;
using CoDesign.Model.MatrixMarket;
using FsCheck;
using FsCheck.Fluent;

namespace CoDesign.Compression.Tests;

public class SpmvModelBuilderTests
{
    [Fact]
    public void AMatrixTooLargeToStageIsRefusedInPlainWords()
    {
        // 2^14 x 2^15 = 2^29 positions: one entry read from a tiny file, half a gigabyte to stage.
        var matrix = new SparseMatrixData(1 << 14, 1 << 15, [new MatrixEntry(0, 0, 1)]);
        var error = Assert.Throws<ArgumentException>(() => SpmvModelBuilder.Build(matrix, 4));
        Assert.Equal("a 16,384 x 32,768 matrix has 536,870,912 positions, more than the 268,435,456 the CCS encoder can stage as a dense index matrix", error.Message);
    }

    [Fact]
    public void SmallIntegerAlphabetsAreEncodedExactly()
    {
        Prop.ForAll(
            Gen.Choose(1, 40).Two().SelectMany(
                shape => Gen.Choose(1, 15).SelectMany(
                    alphabetSize => Gen.Elements(short.MinValue, -300, -7, -1, 1, 2, 5, 99, 1000, short.MaxValue, -32767, 12345, 3, -2, 77, 8)
                        .ArrayOf(alphabetSize)
                        .SelectMany(alphabet => Gen.Choose(0, 1000).ArrayOf(shape.Item1 * shape.Item2)
                            .Select(cells => (shape.Item1, shape.Item2, alphabet, cells))))).ToArbitrary(),
            Gen.Choose(1, 6).ToArbitrary(),
            Gen.Choose(0, int.MaxValue).ToArbitrary(),
            (input, peCount, seed) =>
            {
                (int rows, int cols, int[] alphabet, int[] cells) = input;
                var entries = new List<MatrixEntry>();
                for (int i = 0; i < cells.Length; i++)
                {
                    // Two thirds zeros; the rest draw from the alphabet.
                    if (cells[i] % 3 == 0)
                    {
                        entries.Add(new MatrixEntry(i / cols, i % cols, alphabet[cells[i] % alphabet.Length]));
                    }
                }

                var matrix = new SparseMatrixData(rows, cols, entries, MatrixValueField.Integer);
                SpmvModel built = SpmvModelBuilder.Build(matrix, peCount);
                if (!built.Report.IsExact || built.Report.OutputUnit != 1 || built.Report.MaxRelativeError != 0 || built.Model.PeCount != peCount)
                {
                    return false;
                }

                var random = new Random(seed);
                var x = new byte[cols];
                random.NextBytes(x);
                return new DenseIntegerReference(built.Model).Forward(x).SequenceEqual(PlainProduct(matrix, x));
            }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void ExactEncodingUsesTheDistinctValuesAsCodebook()
    {
        var matrix = new SparseMatrixData(2, 3, [new(0, 0, 5), new(0, 2, -2), new(1, 1, 5), new(1, 2, 0)], MatrixValueField.Integer);
        SpmvModel built = SpmvModelBuilder.Build(matrix, 2);
        SparseLayer layer = built.Model.Layers[0];
        Assert.Equal(new short[] { 0, -2, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, layer.Codebook);
        Assert.Equal(LayerOutput.Raw32, layer.Output);
        Assert.Equal(new int[2], layer.Bias);
        Assert.Equal(3, layer.Weights.NonzeroCount); // the explicit zero is not stored as a nonzero
        Assert.Null(built.Report.Warning);
        Assert.Equal([5 * 1 + (-2 * 3), 5 * 2], new DenseIntegerReference(built.Model).Forward([1, 2, 3]));
    }

    [Fact]
    public void PatternMatricesCountNeighbours()
    {
        var matrix = MatrixMarketReader.Parse("%%MatrixMarket matrix coordinate pattern symmetric\n3 3 2\n2 1\n3 2\n");
        SpmvModel built = SpmvModelBuilder.Build(matrix, 4);
        Assert.True(built.Report.IsExact);
        Assert.Equal([2, 1 + 3, 2], new DenseIntegerReference(built.Model).Forward([1, 2, 3]));
    }

    [Fact]
    public void RealValuesAreQuantizedWithAnErrorReport()
    {
        var random = new Random(4);
        var entries = new List<MatrixEntry>();
        for (int r = 0; r < 60; r++)
        {
            for (int c = 0; c < 50; c++)
            {
                if (random.Next(4) == 0)
                {
                    entries.Add(new MatrixEntry(r, c, DenseMlp.NextGaussian(random) * 3.7));
                }
            }
        }

        var matrix = new SparseMatrixData(60, 50, entries);
        SpmvModel built = SpmvModelBuilder.Build(matrix, 4);
        SpmvEncodingReport report = built.Report;

        Assert.False(report.IsExact);
        Assert.Equal(entries.Count, report.NonzeroCount);
        Assert.InRange(report.RmsRelativeError, 1e-6, 0.05);
        Assert.InRange(report.MaxRelativeError, report.RmsRelativeError, 0.2);
        Assert.Contains("quantized", report.Warning);
        Assert.Equal(0, Math.Log2(report.OutputUnit) % 1);
        Assert.Equal(report.OutputUnit, built.Model.Layers[0].WeightScale);

        // Real y tracks A x within the reported per-entry error.
        var x = new byte[50];
        random.NextBytes(x);
        int[] raw = new DenseIntegerReference(built.Model).Forward(x);
        double[] dense = matrix.ToDenseRowMajor();
        for (int r = 0; r < 60; r++)
        {
            double exact = 0;
            double bound = 0;
            for (int c = 0; c < 50; c++)
            {
                exact += dense[(r * 50) + c] * x[c];
                bound += dense[(r * 50) + c] != 0 ? report.MaxRelativeError * report.MaxAbsValue * x[c] : 0;
            }

            Assert.True(Math.Abs(report.ToReal(raw[r]) - exact) <= bound + 1e-9, $"row {r}: {report.ToReal(raw[r])} vs {exact} (bound {bound})");
        }
    }

    [Theory]
    [InlineData(40000)]
    [InlineData(-40000)]
    public void IntegersBeyondInt16AreQuantized(int big)
    {
        var matrix = new SparseMatrixData(2, 2, [new(0, 0, big), new(1, 1, 3)], MatrixValueField.Integer);
        SpmvModel built = SpmvModelBuilder.Build(matrix, 1);
        Assert.False(built.Report.IsExact);
        Assert.Equal(2, built.Report.OutputUnit); // 40000 needs one bit less resolution to fit int16
        Assert.Equal(big, built.Report.ToReal(new DenseIntegerReference(built.Model).Forward([1, 0])[0]));
    }

    [Fact]
    public void SixteenDistinctIntegersAreQuantized()
    {
        var matrix = new SparseMatrixData(1, 16, Enumerable.Range(0, 16).Select(c => new MatrixEntry(0, c, c + 1)), MatrixValueField.Integer);
        SpmvModel built = SpmvModelBuilder.Build(matrix, 1);
        Assert.False(built.Report.IsExact);
        Assert.Equal(16, built.Report.DistinctNonzeroValues);
        Assert.True(built.Report.MaxRelativeError > 0);
    }

    [Fact]
    public void LongRowsOfLargeValuesWarnThatTheAccumulatorMayWrap()
    {
        var matrix = new SparseMatrixData(1, 300, Enumerable.Range(0, 300).Select(c => new MatrixEntry(0, c, 30000)), MatrixValueField.Integer);
        SpmvModel built = SpmvModelBuilder.Build(matrix, 1);
        Assert.True(built.Report.IsExact);
        Assert.True(built.Report.AccumulatorMayWrap);
        Assert.Contains("wrap", built.Report.Warning);
        byte[] x = [.. Enumerable.Repeat((byte)255, 300)];
        Assert.Equal(PlainProduct(matrix, x), new DenseIntegerReference(built.Model).Forward(x));
    }

    [Fact]
    public void QuantizedLongRowsGiveUpResolutionInsteadOfWrapping()
    {
        var matrix = new SparseMatrixData(1, 300, Enumerable.Range(0, 300).Select(c => new MatrixEntry(0, c, 1000.5 + c)));
        SpmvModel built = SpmvModelBuilder.Build(matrix, 1);
        Assert.False(built.Report.IsExact);
        Assert.False(built.Report.AccumulatorMayWrap);
    }

    /// <summary>y = A x in 32-bit integer arithmetic that wraps, as the accelerator's accumulator does.</summary>
    private static int[] PlainProduct(SparseMatrixData matrix, byte[] x)
    {
        var y = new int[matrix.Rows];
        foreach (MatrixEntry e in matrix.Entries)
        {
            y[e.Row] = unchecked(y[e.Row] + ((int)e.Value * x[e.Col]));
        }

        return y;
    }
}
