using System.Globalization;

namespace CoDesign.Cli.Tests;

public class SpmvCommandTests
{
    private const string IntegerMatrix = """
        %%MatrixMarket matrix coordinate integer general
        % 4 x 5, seven nonzeros, five distinct values
        4 5 7
        1 1 3
        1 5 -2
        2 2 7
        3 1 1
        3 3 3
        4 4 -7
        4 5 100
        """;

    [Fact]
    public void AnIntegerMatrixIsMultipliedExactly()
    {
        string matrix = CodesignProcess.TempFile("a.mtx", IntegerMatrix);
        string vector = CodesignProcess.TempFile("x.txt", "1\n2\n3\n4\n5\n");

        (int exit, string output, string error) = CodesignProcess.Run("spmv", "--matrix", matrix, "--vector", vector, "--pes", "3");

        Assert.True(exit == 0, error);
        Assert.Equal(["-7", "14", "10", "472"], output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("exact", error);
        Assert.DoesNotContain("warning", error);
    }

    [Fact]
    public void ARealMatrixIsRefusedUnlessApproximatingWhichReportsTheErrorPerElement()
    {
        string matrix = CodesignProcess.TempFile("b.mtx", """
            %%MatrixMarket matrix coordinate real general
            3 3 4
            1 1 0.5
            2 2 -1.25
            3 3 3.14159
            1 3 2.5e-3
            """);
        string vector = CodesignProcess.TempFile("y.txt", "10 20 30");

        (int refusedExit, string refusedOutput, string refusal) = CodesignProcess.Run("spmv", "--matrix", matrix, "--vector", vector);
        Assert.Equal(2, refusedExit);
        Assert.Empty(refusedOutput);
        Assert.Contains("--approximate", refusal);

        (int exit, string output, string error) = CodesignProcess.Run("spmv", "--matrix", matrix, "--vector", vector, "--approximate");
        Assert.True(exit == 0, error);
        double[] y = [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(s => double.Parse(s, CultureInfo.InvariantCulture))];
        Assert.Equal(5.075, y[0], 0.01);
        Assert.Equal(-25, y[1], 0.01);
        Assert.Equal(94.2477, y[2], 0.01);
        Assert.Contains("of the element's exact value", error);
    }

    [Theory]
    [InlineData("1 1 -3\n2 2 3\n3 3 40000", "-30 30 400000")]
    [InlineData("1 1 -2\n2 2 5\n3 3 40000", "-20 50 400000")]
    [InlineData("1 1 123456789012\n2 2 -1\n3 3 32768", "1234567890120 -10 327680")]
    public void IntegersBeyondOneSixteenBitCodebookAreExact(string entries, string expected)
    {
        string matrix = CodesignProcess.TempFile("d.mtx", $"%%MatrixMarket matrix coordinate integer general\n3 3 3\n{entries}\n");
        string vector = CodesignProcess.TempFile("x.txt", "10 10 10");

        (int exit, string output, string error) = CodesignProcess.Run("spmv", "--matrix", matrix, "--vector", vector);

        Assert.True(exit == 0, error);
        Assert.Equal(expected.Split(' '), output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("exact", error);
    }

    [Fact]
    public void TwentyDistinctValuesGiveIntegerResults()
    {
        string entries = string.Join("\n", Enumerable.Range(1, 20).Select(i => $"{i} {i} {(i * 37) - 300}"));
        string matrix = CodesignProcess.TempFile("m.mtx", $"%%MatrixMarket matrix coordinate integer general\n20 20 20\n{entries}\n");
        string vector = CodesignProcess.TempFile("x.txt", string.Join(" ", Enumerable.Range(1, 20)));

        (int exit, string output, string error) = CodesignProcess.Run("spmv", "--matrix", matrix, "--vector", vector);

        Assert.True(exit == 0, error);
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (((i * 37) - 300) * i).ToString(CultureInfo.InvariantCulture)), output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("2 codebook group(s)", error);
    }

    [Theory]
    [InlineData(800, 800, 0.10)]
    [InlineData(20000, 50, 0.10)]
    public void MatricesWhoseImageExceedsTheDeviceAreTiledAndExact(int rows, int cols, double density)
    {
        var random = new Random(rows + cols);
        var entries = new List<(int Row, int Col, long Value)>();
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                if (random.NextDouble() < density)
                {
                    entries.Add((i, j, random.Next(-9, 10) * (random.Next(4) == 0 ? 40001L : 1)));
                }
            }
        }

        long[] x = [.. Enumerable.Range(0, cols).Select(_ => (long)random.Next(-300, 300))];
        var exact = new long[rows];
        entries.ForEach(e => exact[e.Row] += e.Value * x[e.Col]);
        string matrix = CodesignProcess.TempFile("big.mtx", $"%%MatrixMarket matrix coordinate integer general\n{rows} {cols} {entries.Count}\n" +
            string.Join("\n", entries.Select(e => $"{e.Row + 1} {e.Col + 1} {e.Value}")) + "\n");
        string vector = CodesignProcess.TempFile("x.txt", string.Join(" ", x));

        (int exit, string output, string error) = CodesignProcess.Run("spmv", "--matrix", matrix, "--vector", vector);

        Assert.True(exit == 0, error);
        Assert.Equal(exact.Select(v => v.ToString(CultureInfo.InvariantCulture)), output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain(" 1 tile(s)", error);
    }

    [Fact]
    public void ARowThatCouldOverflowIsRefusedByNameAndWrapTakesItModulo2To32()
    {
        string entries = string.Join("\n", Enumerable.Range(1, 300).Select(j => $"2 {j} 32767"));
        string matrix = CodesignProcess.TempFile("o.mtx", $"%%MatrixMarket matrix coordinate integer general\n2 300 301\n1 1 1\n{entries}\n");
        string vector = CodesignProcess.TempFile("x.txt", string.Join(" ", Enumerable.Repeat(255, 300)));

        (int exit, string output, string error) = CodesignProcess.Run("spmv", "--matrix", matrix, "--vector", vector);
        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.StartsWith("error: row 2 could overflow", error);

        (int wrapExit, string wrapped, string report) = CodesignProcess.Run("spmv", "--matrix", matrix, "--vector", vector, "--wrap");
        Assert.True(wrapExit == 0, report);
        Assert.Equal(["255", unchecked(300 * 32767 * 255).ToString(CultureInfo.InvariantCulture)], wrapped.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void AVectorOfAnyIntegersIsMultipliedExactly()
    {
        string matrix = CodesignProcess.TempFile("a.mtx", IntegerMatrix);
        string vector = CodesignProcess.TempFile("x.txt", "1\n-2\n300\n4\n-70000\n");

        (int exit, string output, string error) = CodesignProcess.Run("spmv", "--matrix", matrix, "--vector", vector);

        Assert.True(exit == 0, error);
        Assert.Equal(["140003", "-14", "901", "-7000028"], output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void ANonIntegerVectorValueIsRefusedWithItsLine()
    {
        string matrix = CodesignProcess.TempFile("a.mtx", IntegerMatrix);
        string vector = CodesignProcess.TempFile("x.txt", "1\n2\n3.5\n4\n5\n");

        (int exit, _, string error) = CodesignProcess.Run("spmv", "--matrix", matrix, "--vector", vector);

        Assert.Equal(2, exit);
        Assert.Contains("x.txt:3:", error);
        Assert.Contains("not an integer", error);
    }

    [Fact]
    public void AMalformedMatrixFileIsRefusedWithItsLine()
    {
        string matrix = CodesignProcess.TempFile("bad.mtx", "%%MatrixMarket matrix coordinate integer general\n2 2 1\n1 x 4\n");
        string vector = CodesignProcess.TempFile("x.txt", "1 2");

        (int exit, _, string error) = CodesignProcess.Run("spmv", "--matrix", matrix, "--vector", vector);

        Assert.Equal(2, exit);
        Assert.Contains("bad.mtx:3:", error);
    }
}
