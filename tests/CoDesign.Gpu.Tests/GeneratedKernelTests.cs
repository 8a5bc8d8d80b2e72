using CoDesign.Kernels;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace CoDesign.Gpu.Tests;

/// <summary>
/// The kernels the generator emitted from kernels/ (GpuSparseMatVec, GpuCrc32, ...) on ILGPU's CPU
/// accelerator against the span kernels themselves, and compiled to PTX without a GPU.
/// </summary>
public class GeneratedKernelTests
{
    private const int Batch = 8;

    [Theory]
    [InlineData(1, 24, 40, 4, 0)]
    [InlineData(2, 70, 33, 3, 2)]
    [InlineData(3, 5, 120, 1, 0)]
    [InlineData(4, 64, 64, 8, 7)]
    public void The_generated_spmv_matches_the_span_kernel_on_random_ccs_slices(int seed, int rows, int cols, int peCount, int pe)
    {
        var random = new Random(seed);
        byte[] indices = [.. Enumerable.Range(0, rows * cols).Select(_ => (byte)(random.Next(3) == 0 ? random.Next(1, 16) : 0))];
        byte[] entries = new byte[CcsEncoder.CountSliceEntries(indices, rows, cols, peCount, pe)];
        int[] pointers = new int[cols + 1];
        CcsEncoder.EncodeSlice(indices, rows, cols, peCount, pe, entries, pointers);
        short[] codebook = [0, .. Enumerable.Range(1, 15).Select(_ => (short)random.Next(short.MinValue, short.MaxValue + 1))];
        int localRows = CcsEncoder.LocalRowCount(rows, peCount, pe);
        byte[] activations = [.. Enumerable.Range(0, Batch * cols).Select(_ => (byte)(random.Next(4) == 0 ? 0 : random.Next(256)))];
        int[] accumulators = [.. Enumerable.Range(0, Batch * localRows).Select(_ => random.Next())];

        var expected = (int[])accumulators.Clone();
        var expectedConsumed = new long[Batch];
        for (int image = 0; image < Batch; image++)
        {
            expectedConsumed[image] = SparseMatVec.MultiplyAccumulate(entries, pointers, codebook, activations.AsSpan(image * cols, cols), expected.AsSpan(image * localRows, localRows));
        }

        Accelerator accelerator = TestAccelerator.Cpu;
        using var entryBuffer = accelerator.Allocate1D(entries.Length == 0 ? [0] : entries);
        using var pointerBuffer = accelerator.Allocate1D(pointers);
        using var codebookBuffer = accelerator.Allocate1D(codebook);
        using var activationBuffer = accelerator.Allocate1D(activations);
        using var accumulatorBuffer = accelerator.Allocate1D(accumulators.Length == 0 ? [0] : accumulators);
        using var consumedBuffer = accelerator.Allocate1D<long>(Batch);
        var kernel = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<byte>, ArrayView<int>, ArrayView<short>, ArrayView<byte>, ArrayView<int>, int, int, ArrayView<long>>(GpuSpmvBatch.MultiplyAccumulate);
        kernel(Batch, entryBuffer.View.SubView(0, entries.Length), pointerBuffer.View, codebookBuffer.View, activationBuffer.View, accumulatorBuffer.View, cols, localRows, consumedBuffer.View);
        accelerator.Synchronize();

        Assert.Equal(expected, accumulatorBuffer.GetAsArray1D().Take(accumulators.Length));
        Assert.Equal(expectedConsumed, consumedBuffer.GetAsArray1D());
        Assert.Contains(expectedConsumed, c => c > 0);
    }

    [Fact]
    public void The_generated_crc_and_requantizer_match_the_span_kernels()
    {
        var random = new Random(5);
        byte[] data = new byte[300];
        random.NextBytes(data);
        int[] acc = [.. Enumerable.Range(0, 100).Select(_ => random.Next(int.MinValue, int.MaxValue))];
        Accelerator accelerator = TestAccelerator.Cpu;
        using var dataBuffer = accelerator.Allocate1D(data);
        using var accBuffer = accelerator.Allocate1D(acc);
        using var activationBuffer = accelerator.Allocate1D<byte>(acc.Length);
        using var crcBuffer = accelerator.Allocate1D<uint>(1);
        accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<byte>, ArrayView<uint>, ArrayView<int>, ArrayView<byte>>(Launches.CrcAndRequantize)(1, dataBuffer.View, crcBuffer.View, accBuffer.View, activationBuffer.View);
        accelerator.Synchronize();

        Assert.Equal(Crc32.Compute(data), crcBuffer.GetAsArray1D()[0]);
        var expected = new byte[acc.Length];
        Requantizer.ReluShiftSaturate(acc, 9, expected);
        Assert.Equal(expected, activationBuffer.GetAsArray1D());
    }

    [Theory]
    [InlineData("SM_80")]
    [InlineData("SM_90")]
    public void The_batched_spmv_entry_compiles_to_ptx_without_a_gpu(string name)
    {
        CudaArchitecture architecture = name == "SM_80" ? CudaArchitecture.SM_80 : CudaArchitecture.SM_90;
        string ptx = PtxCompiler.Compile(typeof(GpuSpmvBatch).GetMethod(nameof(GpuSpmvBatch.MultiplyAccumulate))!, architecture);

        // ILGPU 1.5.3 writes the lowest architecture that has the target's capabilities: sm_80 for both.
        Assert.Contains(".target sm_80", ptx, StringComparison.Ordinal);
        Assert.Contains(".version 8.0", ptx, StringComparison.Ordinal);
        Assert.Matches(@"\.visible \.entry \S*MultiplyAccumulate", ptx);
        Assert.Contains("ld.", ptx, StringComparison.Ordinal);
        Assert.Contains("st.", ptx, StringComparison.Ordinal);
    }

    [Fact]
    public void The_generated_crc_and_requantizer_compile_to_ptx() =>
        Assert.Contains(".target sm_80", PtxCompiler.Compile(typeof(Launches).GetMethod(nameof(Launches.CrcAndRequantize))!, CudaArchitecture.SM_90), StringComparison.Ordinal);

    /// <summary>Launch glue only: the kernels are the generated ones.</summary>
    public static class Launches
    {
        public static void CrcAndRequantize(Index1D index, ArrayView<byte> data, ArrayView<uint> crc, ArrayView<int> acc, ArrayView<byte> activations)
        {
            crc[index] = GpuCrc32.Compute(data);
            GpuRequantizer.ReluShiftSaturate(acc, 9, activations);
        }
    }
}
