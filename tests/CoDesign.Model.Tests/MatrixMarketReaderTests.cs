using CoDesign.Model.MatrixMarket;

namespace CoDesign.Model.Tests;

public class MatrixMarketReaderTests
{
    [Fact]
    public void ReadsGeneralCoordinateFilesWithZeroBasedSortedEntries()
    {
        SparseMatrixData matrix = MatrixMarketReader.Parse(
            """
            %%MatrixMarket matrix coordinate real general
            % a comment

            3 4 3
            3 4 -1.5e2
            1 2 0.25
            2 1 7
            """);

        Assert.Equal(3, matrix.Rows);
        Assert.Equal(4, matrix.Cols);
        Assert.Equal(MatrixValueField.Real, matrix.Field);
        Assert.Equal([new MatrixEntry(0, 1, 0.25), new MatrixEntry(1, 0, 7), new MatrixEntry(2, 3, -150)], matrix.Entries);
    }

    [Fact]
    public void ExpandsSymmetricStorageWithoutDoublingTheDiagonal()
    {
        SparseMatrixData matrix = MatrixMarketReader.Parse("%%MatrixMarket matrix coordinate integer symmetric\n3 3 3\n1 1 4\n3 1 -2\n3 2 5\n");

        Assert.Equal([new MatrixEntry(0, 0, 4), new MatrixEntry(0, 2, -2), new MatrixEntry(1, 2, 5), new MatrixEntry(2, 0, -2), new MatrixEntry(2, 1, 5)], matrix.Entries);
    }

    [Fact]
    public void ExpandsSkewSymmetricStorageWithTheSignFlipped()
    {
        SparseMatrixData matrix = MatrixMarketReader.Parse("%%MatrixMarket matrix coordinate real skew-symmetric\n2 2 1\n2 1 3\n");
        Assert.Equal([new MatrixEntry(0, 1, -3), new MatrixEntry(1, 0, 3)], matrix.Entries);
    }

    [Fact]
    public void PatternEntriesAreOnes()
    {
        SparseMatrixData matrix = MatrixMarketReader.Parse("%%MatrixMarket matrix coordinate pattern general\n2 3 2\n1 3\n2 2\n");
        Assert.Equal(MatrixValueField.Pattern, matrix.Field);
        Assert.Equal([new MatrixEntry(0, 2, 1), new MatrixEntry(1, 1, 1)], matrix.Entries);
    }

    [Fact]
    public void SumsDuplicateEntries()
    {
        SparseMatrixData matrix = MatrixMarketReader.Parse("%%MatrixMarket matrix coordinate integer general\n2 2 3\n1 1 2\n2 2 1\n1 1 5\n");
        Assert.Equal([new MatrixEntry(0, 0, 7), new MatrixEntry(1, 1, 1)], matrix.Entries);
    }

    [Fact]
    public void ReadsArrayFilesColumnByColumnAndDropsTheirZeros()
    {
        SparseMatrixData matrix = MatrixMarketReader.Parse("%%MatrixMarket matrix array real general\n2 3\n1\n0\n0 2.5\n3\n0\n");
        Assert.Equal([new MatrixEntry(0, 0, 1), new MatrixEntry(0, 2, 3), new MatrixEntry(1, 1, 2.5)], matrix.Entries);
        Assert.Equal(new double[] { 1, 0, 3, 0, 2.5, 0 }, matrix.ToDenseRowMajor());
    }

    [Fact]
    public void ReadsSymmetricArrayFilesFromTheLowerTriangle()
    {
        SparseMatrixData matrix = MatrixMarketReader.Parse("%%MatrixMarket matrix array integer symmetric\n2 2\n1\n2\n3\n");
        Assert.Equal(new double[] { 1, 2, 2, 3 }, matrix.ToDenseRowMajor());
    }

    [Theory]
    [InlineData("", 0, "the file is empty")]
    [InlineData("3 3 1\n1 1 1\n", 1, "not a Matrix Market file")]
    [InlineData("%%MatrixMarket matrix coordinate real\n", 1, "the header has 4 words")]
    [InlineData("%%MatrixMarket vector coordinate real general\n", 1, "object \"vector\" is not supported")]
    [InlineData("%%MatrixMarket matrix sparse real general\n", 1, "format \"sparse\" is unknown")]
    [InlineData("%%MatrixMarket matrix coordinate complex general\n", 1, "complex matrices are not supported")]
    [InlineData("%%MatrixMarket matrix coordinate real hermitian\n", 1, "hermitian")]
    [InlineData("%%MatrixMarket matrix array pattern general\n", 1, "pattern")]
    [InlineData("%%MatrixMarket matrix coordinate real general\n", 0, "the file ends before the size line")]
    [InlineData("%%MatrixMarket matrix coordinate real general\n%c\n2 x 1\n", 3, "column count \"x\" is not a positive integer")]
    [InlineData("%%MatrixMarket matrix coordinate real general\n2 2\n", 2, "the size line has 2 numbers")]
    [InlineData("%%MatrixMarket matrix coordinate real general\n2 2 5\n", 2, "5 entries declared, more than the 2 x 2 matrix has positions")]
    [InlineData("%%MatrixMarket matrix coordinate real symmetric\n2 3 1\n", 2, "must be square")]
    [InlineData("%%MatrixMarket matrix coordinate real general\n2 2 2\n1 1 1\n", 0, "the file ends after 1 of the 2 entries declared on line 2")]
    [InlineData("%%MatrixMarket matrix coordinate real general\n2 2 1\n1 1\n", 3, "entry 1 has 2 fields; expected \"row col value\"")]
    [InlineData("%%MatrixMarket matrix coordinate pattern general\n2 2 1\n1 1 1\n", 3, "entry 1 has 3 fields; expected \"row col\" (pattern)")]
    [InlineData("%%MatrixMarket matrix coordinate real general\n2 2 1\n3 1 1\n", 3, "row index 3 is outside 1..2")]
    [InlineData("%%MatrixMarket matrix coordinate real general\n2 2 1\n1 0 1\n", 3, "column index 0 is outside 1..2")]
    [InlineData("%%MatrixMarket matrix coordinate real general\n2 2 1\n1 1 abc\n", 3, "value \"abc\" is not a finite real number")]
    [InlineData("%%MatrixMarket matrix coordinate real general\n2 2 1\n1 1 NaN\n", 3, "value \"NaN\" is not a finite real number")]
    [InlineData("%%MatrixMarket matrix coordinate integer general\n2 2 1\n1 1 1.5\n", 3, "value \"1.5\" is not an integer")]
    [InlineData("%%MatrixMarket matrix coordinate real general\n2 2 1\n1 1 1\n2 2 2\n", 4, "unexpected data after the 1 declared entries")]
    [InlineData("%%MatrixMarket matrix coordinate real skew-symmetric\n2 2 1\n1 1 1\n", 3, "zero diagonal")]
    [InlineData("%%MatrixMarket matrix array real general\n2 1\n1\n", 0, "the file ends after 1 of the 2 values")]
    [InlineData("%%MatrixMarket matrix array real general\n2 1\n1 2 3\n", 3, "more values than the 2")]
    public void MalformedInputNamesTheFileAndLine(string text, int line, string problem)
    {
        var error = Assert.Throws<MatrixMarketFormatException>(() => MatrixMarketReader.Parse(text, "m.mtx"));
        Assert.Equal("m.mtx", error.FileName);
        Assert.Equal(line, error.LineNumber);
        Assert.Contains(problem, error.Problem);
        Assert.StartsWith(line > 0 ? $"m.mtx:{line}: " : "m.mtx: ", error.Message);
    }

    [Fact]
    public void ReadsFilesAndNamesThemInErrors()
    {
        string path = Path.Combine(Path.GetTempPath(), $"codesign-{Guid.NewGuid():N}.mtx");
        try
        {
            File.WriteAllText(path, "%%MatrixMarket matrix coordinate real general\n1 1 1\n1 1 2\n");
            Assert.Equal([new MatrixEntry(0, 0, 2)], MatrixMarketReader.Read(path).Entries);
            File.WriteAllText(path, "%%MatrixMarket matrix coordinate real general\n1 1 1\n1 2 2\n");
            var error = Assert.Throws<MatrixMarketFormatException>(() => MatrixMarketReader.Read(path));
            Assert.StartsWith($"{path}:3: column index 2", error.Message);
        }
        finally
        {
            File.Delete(path);
        }

        Assert.Equal("/nonexistent/a.mtx: no such file", Assert.Throws<MatrixMarketFormatException>(() => MatrixMarketReader.Read("/nonexistent/a.mtx")).Message);
    }

    [Fact]
    public void ReadsPlainVectorsWithTheirLineNumbers()
    {
        VectorData vector = VectorFileReader.Parse("# input\n1\n2 3\n\n% more\n4e0\n", "x.txt");
        Assert.Equal([1.0, 2, 3, 4], vector.Values);
        Assert.Equal([2, 3, 3, 6], vector.LineNumbers);
        Assert.Equal("x.txt line 3 (index 2)", vector.Describe(2));
    }

    [Fact]
    public void ReadsMatrixMarketVectors()
    {
        VectorData column = VectorFileReader.Parse("%%MatrixMarket matrix array integer general\n3 1\n5\n0\n7\n", "x.mtx");
        Assert.Equal([5.0, 0, 7], column.Values);
        Assert.Equal("x.mtx index 1", column.Describe(1));

        VectorData row = VectorFileReader.Parse("%%MatrixMarket matrix coordinate integer general\n1 4 1\n1 3 9\n", "x.mtx");
        Assert.Equal([0.0, 0, 9, 0], row.Values);
    }

    [Theory]
    [InlineData("1\n2\nthree\n", "x.txt:3: \"three\" (index 2) is not a finite number")]
    [InlineData("# nothing\n", "x.txt: the vector file holds no numbers")]
    [InlineData("%%MatrixMarket matrix array real general\n2 2\n1\n2\n3\n4\n", "x.txt: a vector must have one row or one column, but the matrix is 2 x 2")]
    public void RefusesMalformedVectors(string text, string message)
    {
        var error = Assert.Throws<MatrixMarketFormatException>(() => VectorFileReader.Parse(text, "x.txt"));
        Assert.Equal(message, error.Message);
    }
}
