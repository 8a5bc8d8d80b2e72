using CoDesign.Model.MatrixMarket;

namespace CoDesign.Model.Tests.Fuzzing;

/// <summary>Mutated Matrix Market and vector files end in a parse that holds together or in a <see cref="MatrixMarketFormatException"/> with a clean message.</summary>
public class MatrixMarketFuzzTests
{
    private static readonly string[] ValidMatrices =
    [
        "%%MatrixMarket matrix coordinate real general\n% a comment\n3 4 4\n1 1 1.5\n2 3 -2\n3 4 4e1\n1 4 0\n",
        "%%MatrixMarket matrix coordinate integer symmetric\n3 3 3\n1 1 4\n3 1 -2\n3 2 5\n",
        "%%MatrixMarket matrix coordinate real skew-symmetric\n3 3 2\n2 1 3\n3 2 -1.25\n",
        "%%MatrixMarket matrix coordinate pattern general\n2 3 2\n1 3\n2 2\n",
        "%%MatrixMarket matrix array real general\n2 3\n1\n0\n0 2.5\n3\n0\n",
        "%%MatrixMarket matrix array integer symmetric\n3 3\n1\n2\n3\n4\n5\n6\n",
    ];

    private static readonly string[] ValidVectors =
    [
        "1\n2\n3\n4\n",
        "# input\n255 0 17\n\n% more\n4e0\n",
        "%%MatrixMarket matrix array integer general\n3 1\n5\n0\n7\n",
        "%%MatrixMarket matrix coordinate integer general\n1 4 2\n1 3 9\n1 1 2\n",
    ];

    [Fact]
    public void MutatedMatrixFilesParseOrAreRefusedCleanly()
    {
        var mutator = new Mutator(FuzzSettings.Seed(0x4D4D));
        (int parsed, int refused) = FuzzRun.Run<string, MatrixMarketFormatException>(
            FuzzSettings.Cases(2000),
            i => mutator.Mutate(ValidMatrices[i % ValidMatrices.Length]),
            text => CheckMatrix(MatrixMarketReader.Parse(text, "m.mtx")),
            FuzzRun.Cut,
            TimeSpan.FromSeconds(60));
        // Both outcomes must occur, or the mutator is too weak (or too strong) to test anything.
        Assert.True(parsed > 0 && refused > parsed, $"{parsed} parsed, {refused} refused");
    }

    [Fact]
    public void MutatedVectorFilesParseOrAreRefusedCleanly()
    {
        var mutator = new Mutator(FuzzSettings.Seed(0x5645));
        (int parsed, int refused) = FuzzRun.Run<string, MatrixMarketFormatException>(
            FuzzSettings.Cases(2000),
            i => mutator.Mutate(ValidVectors[i % ValidVectors.Length]),
            text => CheckVector(VectorFileReader.Parse(text, "x.txt")),
            FuzzRun.Cut,
            TimeSpan.FromSeconds(60));
        Assert.True(parsed > 0 && refused > 0, $"{parsed} parsed, {refused} refused");
    }

    private static void CheckMatrix(SparseMatrixData matrix)
    {
        Assert.InRange(matrix.Rows, 1, MatrixMarketReader.MaxDimension);
        Assert.InRange(matrix.Cols, 1, MatrixMarketReader.MaxDimension);
        Assert.InRange(matrix.Entries.Count, 0, MatrixMarketReader.MaxEntries);
        MatrixEntry? previous = null;
        foreach (MatrixEntry e in matrix.Entries)
        {
            Assert.InRange(e.Row, 0, matrix.Rows - 1);
            Assert.InRange(e.Col, 0, matrix.Cols - 1);
            Assert.True(double.IsFinite(e.Value), $"entry ({e.Row}, {e.Col}) is {e.Value}");
            Assert.True(previous is null || (previous.Value.Row, previous.Value.Col).CompareTo((e.Row, e.Col)) < 0, "entries are not sorted and unique");
            previous = e;
        }
    }

    private static void CheckVector(VectorData vector)
    {
        Assert.InRange(vector.Length, 1, VectorFileReader.MaxValues);
        Assert.All(vector.Values, v => Assert.True(double.IsFinite(v)));
        Assert.All(vector.LineNumbers, n => Assert.True(n >= 0));
    }
}
