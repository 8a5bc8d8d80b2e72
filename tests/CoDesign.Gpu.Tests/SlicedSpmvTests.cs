using System.Reflection;
using CoDesign.Model;
using ILGPU.Runtime.Cuda;

namespace CoDesign.Gpu.Tests;

/// <summary>
/// The single-vector product split over rows (one GPU thread per PE slice) against the dense integer
/// product, on ILGPU's CPU accelerator: every slice count, rows that do not divide evenly, zero
/// activations skipped, and sums that wrap as 32-bit accumulators do.
/// </summary>
public class SlicedSpmvTests
{
    [Theory]
    [InlineData(1, 37, 53, 1)]
    [InlineData(2, 37, 53, 5)]
    [InlineData(3, 100, 20, 64)]
    [InlineData(4, 9, 40, 16)]
    [InlineData(5, 200, 300, 7)]
    public void Every_row_equals_the_dense_product(int seed, int rows, int cols, int slices)
    {
        var random = new Random(seed);
        byte[] indices = [.. Enumerable.Range(0, rows * cols).Select(_ => (byte)(random.Next(4) == 0 ? random.Next(1, 16) : 0))];
        short[] codebook = [0, .. Enumerable.Range(1, 15).Select(_ => (short)random.Next(short.MinValue, short.MaxValue + 1))];
        byte[] x = [.. Enumerable.Range(0, cols).Select(_ => (byte)(random.Next(3) == 0 ? 0 : random.Next(256)))];

        using var product = new GpuSlicedSpmv(TestAccelerator.Cpu, CcsMatrix.Encode(indices, rows, cols, slices), codebook);
        int[] y = product.Multiply(x);

        Assert.Equal(Dense(indices, codebook, x, rows, cols), y);
        Assert.Equal(slices, product.Slices);
    }

    [Fact]
    public void A_second_product_does_not_add_to_the_first()
    {
        byte[] indices = [1, 2, 0, 3, 0, 4];
        short[] codebook = [0, 10, -20, 30, 40, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        using var product = new GpuSlicedSpmv(TestAccelerator.Cpu, CcsMatrix.Encode(indices, 2, 3, 2), codebook);

        product.Multiply([1, 2, 3]);
        int[] y = product.Multiply([3, 0, 1]);

        Assert.Equal(new[] { 30, 130 }, y);
    }

    [Fact]
    public void Sums_wrap_modulo_2_to_the_32()
    {
        const int cols = 400;
        byte[] indices = [.. Enumerable.Repeat((byte)1, cols)];
        short[] codebook = [0, short.MaxValue, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        byte[] x = [.. Enumerable.Repeat((byte)255, cols)];
        using var product = new GpuSlicedSpmv(TestAccelerator.Cpu, CcsMatrix.Encode(indices, 1, cols, 1), codebook);

        Assert.Equal(unchecked((int)(cols * (long)short.MaxValue * 255)), product.Multiply(x)[0]);
    }

    [Theory]
    [InlineData("SM_80")]
    [InlineData("SM_90")]
    public void The_slice_launch_compiles_to_ptx(string name)
    {
        CudaArchitecture architecture = name == "SM_80" ? CudaArchitecture.SM_80 : CudaArchitecture.SM_90;
        MethodInfo entry = typeof(GpuSlicedSpmv).GetMethod(nameof(GpuSlicedSpmv.MultiplySlice), BindingFlags.NonPublic | BindingFlags.Static)!;

        string ptx = PtxCompiler.Compile(entry, architecture);

        Assert.Matches(@"\.visible \.entry \S*MultiplySlice", ptx);
        Assert.Contains("st.", ptx, StringComparison.Ordinal);
    }

    private static int[] Dense(byte[] indices, short[] codebook, byte[] x, int rows, int cols)
    {
        var y = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                y[r] = unchecked(y[r] + (codebook[indices[(r * cols) + c]] * x[c]));
            }
        }

        return y;
    }
}
