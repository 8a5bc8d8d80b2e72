using CoDesign.Kernels;
using CoDesign.Model;
using ILGPU;
using ILGPU.Runtime;

namespace CoDesign.Gpu;

/// <summary>
/// One sparse matrix-vector product on the GPU, parallel over rows as EIE's PE array is: the matrix is
/// encoded for many PEs (row r on PE r mod N), and each GPU thread is one PE. It runs the generated
/// <see cref="Kernels.GpuSparseMatVec.MultiplyAccumulate"/> over its slice, skipping zero activations,
/// then <see cref="Kernels.GpuSparseMatVec.ScatterRows"/> into the result. The batched engine gives one
/// thread to each image instead; this is the form for a single vector, where the batch has one.
/// </summary>
public sealed class GpuSlicedSpmv : IDisposable
{
    private readonly Accelerator _gpu;
    private readonly MemoryBuffer1D<byte, Stride1D.Dense> _entries;
    private readonly MemoryBuffer1D<int, Stride1D.Dense> _pointers;
    private readonly MemoryBuffer1D<short, Stride1D.Dense> _codebook;
    private readonly MemoryBuffer1D<int, Stride1D.Dense> _rowOffsets;
    private readonly MemoryBuffer1D<int, Stride1D.Dense> _local;
    private readonly Action<Index1D, ArrayView<byte>, ArrayView<int>, ArrayView<short>, ArrayView<byte>, ArrayView<int>, ArrayView<int>, ArrayView<int>> _kernel;

    /// <summary>Uploads <paramref name="matrix"/> (one slice per GPU thread) and its 16-value <paramref name="codebook"/>.</summary>
    public GpuSlicedSpmv(Accelerator gpu, CcsMatrix matrix, short[] codebook)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        ArgumentNullException.ThrowIfNull(matrix);
        if (codebook.Length != CcsEntry.CodebookSize)
        {
            throw new ArgumentException($"the codebook has {codebook.Length} values; a CCS matrix takes {CcsEntry.CodebookSize}", nameof(codebook));
        }

        _gpu = gpu;
        Rows = matrix.Rows;
        Cols = matrix.Cols;
        Slices = matrix.PeCount;

        // The slices side by side: entries concatenated, each slice's column pointers moved by its
        // offset so every thread indexes the one entry array, and each slice's local rows in turn.
        var entries = new byte[Math.Max(1, matrix.EntryCount)];
        var pointers = new int[Slices * (Cols + 1)];
        var rowOffsets = new int[Slices + 1];
        int entryOffset = 0;
        for (int s = 0; s < Slices; s++)
        {
            CcsSlice slice = matrix.Slices[s];
            slice.Entries.CopyTo(entries, entryOffset);
            for (int j = 0; j <= Cols; j++)
            {
                pointers[(s * (Cols + 1)) + j] = entryOffset + slice.Pointers[j];
            }

            entryOffset += slice.EntryCount;
            rowOffsets[s + 1] = rowOffsets[s] + CcsEncoder.LocalRowCount(Rows, Slices, s);
        }

        EntryCount = entryOffset;
        _entries = gpu.Allocate1D(entries);
        _pointers = gpu.Allocate1D(pointers);
        _codebook = gpu.Allocate1D(codebook);
        _rowOffsets = gpu.Allocate1D(rowOffsets);
        _local = gpu.Allocate1D<int>(Math.Max(1, Rows));
        _kernel = gpu.LoadAutoGroupedStreamKernel<Index1D, ArrayView<byte>, ArrayView<int>, ArrayView<short>, ArrayView<byte>, ArrayView<int>, ArrayView<int>, ArrayView<int>>(MultiplySlice);
    }

    /// <summary>Rows of the matrix: the length of a result.</summary>
    public int Rows { get; }

    /// <summary>Columns of the matrix: the length of an input vector.</summary>
    public int Cols { get; }

    /// <summary>Slices, one per GPU thread.</summary>
    public int Slices { get; }

    /// <summary>Stored CCS entries over all slices, padding included: the bytes a product reads at most.</summary>
    public long EntryCount { get; }

    /// <summary>
    /// Launches <c>y = A x</c> on the accelerator's stream without waiting: <paramref name="y"/> is
    /// overwritten, with sums modulo 2^32 as the kernel's accumulators wrap.
    /// </summary>
    public void Multiply(ArrayView<byte> x, ArrayView<int> y)
    {
        if (x.Length != Cols || y.Length != Rows)
        {
            throw new ArgumentException($"the product takes {Cols} activations into {Rows} results; given {x.Length} and {y.Length}");
        }

        _local.View.MemSetToZero();
        _kernel(Slices, _entries.View, _pointers.View, _codebook.View, x, _local.View, _rowOffsets.View, y);
    }

    /// <summary>Computes <c>A x</c> from host memory, waiting for the result.</summary>
    public int[] Multiply(byte[] x)
    {
        using MemoryBuffer1D<byte, Stride1D.Dense> input = _gpu.Allocate1D(x);
        using MemoryBuffer1D<int, Stride1D.Dense> output = _gpu.Allocate1D<int>(Rows);
        Multiply(input.View, output.View);
        var y = new int[Rows];
        output.View.CopyToCPU(y);
        return y;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _entries.Dispose();
        _pointers.Dispose();
        _codebook.Dispose();
        _rowOffsets.Dispose();
        _local.Dispose();
    }

    /// <summary>
    /// Thread <paramref name="slice"/> is PE <c>slice</c> of <c>rowOffsets.Length - 1</c>: it accumulates
    /// its local rows, then writes them to their global rows. Only the indexing is written here.
    /// </summary>
    internal static void MultiplySlice(Index1D slice, ArrayView<byte> entries, ArrayView<int> pointers, ArrayView<short> codebook, ArrayView<byte> x, ArrayView<int> local, ArrayView<int> rowOffsets, ArrayView<int> y)
    {
        int columns = (int)x.Length;
        int slices = (int)rowOffsets.Length - 1;
        ArrayView<int> acc = GpuKernels.Support.GpuViews.Slice(local, rowOffsets[slice], rowOffsets[slice + 1] - rowOffsets[slice]);
        Kernels.GpuSparseMatVec.MultiplyAccumulate(entries, GpuKernels.Support.GpuViews.Slice(pointers, slice * (columns + 1), columns + 1), codebook, x, acc);
        Kernels.GpuSparseMatVec.ScatterRows(acc, slices, slice, y);
    }
}
