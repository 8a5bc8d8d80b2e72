using ILGPU;

namespace CoDesign.Gpu;

/// <summary>
/// The SpMV launch a GPU inference engine makes: one thread per image of a batch, each running the
/// generated <see cref="Kernels.GpuSparseMatVec.MultiplyAccumulate"/> (the kernel of kernels/SparseMatVec.cs)
/// over its own activations into its own accumulators (sliced as the kernels slice spans, so an image
/// with no rows or columns is an empty view). Only the indexing of the batch is written here.
/// </summary>
public static class GpuSpmvBatch
{
    /// <summary>
    /// Image <paramref name="image"/> reads <c>columns</c> activations at <c>image * columns</c> and adds
    /// into <c>rows</c> accumulators at <c>image * rows</c>; its entries consumed go to <paramref name="consumed"/>.
    /// </summary>
    public static void MultiplyAccumulate(Index1D image, ArrayView<byte> entries, ArrayView<int> pointers, ArrayView<short> codebook, ArrayView<byte> activations, ArrayView<int> accumulators, int columns, int rows, ArrayView<long> consumed)
    {
        consumed[image] = Kernels.GpuSparseMatVec.MultiplyAccumulate(
            entries,
            pointers,
            codebook,
            GpuKernels.Support.GpuViews.Slice(activations, image * columns, columns),
            GpuKernels.Support.GpuViews.Slice(accumulators, image * rows, rows));
    }
}
