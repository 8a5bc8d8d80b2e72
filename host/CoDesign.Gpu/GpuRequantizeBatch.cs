using ILGPU;

namespace CoDesign.Gpu;

/// <summary>
/// The result-path launches a GPU inference engine makes after each layer's SpMV: one thread per
/// image, each running the generated <see cref="Kernels.GpuRequantizer"/> (kernels/Requantizer.cs) over its
/// own accumulators. Only the indexing of the batch is written here.
/// </summary>
public static class GpuRequantizeBatch
{
    /// <summary>Adds the bias to image <paramref name="image"/>'s <paramref name="rows"/> accumulators and writes its 8-bit activations.</summary>
    public static void Activations(Index1D image, ArrayView<int> accumulators, ArrayView<int> bias, int rows, int shift, ArrayView<byte> activations)
    {
        ArrayView<int> acc = accumulators.SubView(image * rows, rows);
        Kernels.GpuRequantizer.AddBias(acc, bias);
        Kernels.GpuRequantizer.ReluShiftSaturate(acc, shift, activations.SubView(image * rows, rows));
    }

    /// <summary>Adds the bias to image <paramref name="image"/>'s <paramref name="rows"/> accumulators: the raw 32-bit outputs of a last layer.</summary>
    public static void Raw(Index1D image, ArrayView<int> accumulators, ArrayView<int> bias, int rows) =>
        Kernels.GpuRequantizer.AddBias(accumulators.SubView(image * rows, rows), bias);
}
