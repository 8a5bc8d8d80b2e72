
namespace CoDesign.Compression.Tests;

public class MatrixKernelsTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(3, 5, 7)]
    [InlineData(4, 2, 8)]
    [InlineData(9, 11, 17)]
    [InlineData(37, 10, 128)]
    [InlineData(130, 67, 784)]
    public void MultiplyTransposedMatchesNaiveProduct(int m, int n, int k)
    {
        var random = new Random(m * 1000 + n * 10 + k);
        float[] a = RandomArray(random, m * k);
        float[] b = RandomArray(random, n * k);
        foreach (bool parallel in new[] { false, true })
        {
            var c = new float[m * n];
            MatrixKernels.MultiplyTransposed(a, b, c, m, n, k, parallel);
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    double expected = 0;
                    for (int p = 0; p < k; p++)
                    {
                        expected += (double)a[(i * k) + p] * b[(j * k) + p];
                    }

                    Assert.True(Math.Abs(c[(i * n) + j] - expected) <= 1e-4 * (1 + Math.Sqrt(k)), $"C[{i},{j}] = {c[(i * n) + j]}, expected {expected}");
                }
            }
        }
    }

    [Fact]
    public void ParallelAndSerialProductsAreBitIdentical()
    {
        var random = new Random(5);
        float[] a = RandomArray(random, 128 * 300);
        float[] b = RandomArray(random, 96 * 300);
        var serial = new float[128 * 96];
        var parallel = new float[128 * 96];
        MatrixKernels.MultiplyTransposed(a, b, serial, 128, 96, 300, parallel: false);
        MatrixKernels.MultiplyTransposed(a, b, parallel, 128, 96, 300, parallel: true);
        Assert.Equal(serial, parallel);
    }

    [Fact]
    public void TransposeSwapsRowsAndColumns()
    {
        float[] source = [.. Enumerable.Range(0, 35 * 70).Select(i => (float)i)];
        var target = new float[source.Length];
        MatrixKernels.Transpose(source, 35, 70, target);
        for (int r = 0; r < 35; r++)
        {
            for (int c = 0; c < 70; c++)
            {
                Assert.Equal(source[(r * 70) + c], target[(c * 35) + r]);
            }
        }
    }

    private static float[] RandomArray(Random random, int length) => [.. Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 2 - 1))];
}
