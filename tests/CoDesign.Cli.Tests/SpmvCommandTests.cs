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
    public void ARealMatrixIsQuantizedWithAWarningThatGivesTheError()
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

        (int exit, string output, string error) = CodesignProcess.Run("spmv", "--matrix", matrix, "--vector", vector);

        Assert.True(exit == 0, error);
        double[] y = [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(s => double.Parse(s, CultureInfo.InvariantCulture))];
        Assert.Equal(5.075, y[0], 0.01);
        Assert.Equal(-25, y[1], 0.01);
        Assert.Equal(94.2477, y[2], 0.01);
        Assert.Contains("warning", error);
        Assert.Contains("RMS error", error);
    }

    [Fact]
    public void AVectorValueOutsideTheActivationRangeIsRefusedWithItsLine()
    {
        string matrix = CodesignProcess.TempFile("a.mtx", IntegerMatrix);
        string vector = CodesignProcess.TempFile("x.txt", "1\n2\n300\n4\n5\n");

        (int exit, _, string error) = CodesignProcess.Run("spmv", "--matrix", matrix, "--vector", vector);

        Assert.Equal(2, exit);
        Assert.Contains("x.txt:3:", error);
        Assert.Contains("0..255", error);
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
