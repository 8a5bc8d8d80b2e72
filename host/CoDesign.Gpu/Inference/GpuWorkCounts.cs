using ILGPU;

namespace CoDesign.Gpu.Inference;

/// <summary>
/// The Run reply's work counters on the GPU, so a batch's activations never travel back to the host to
/// be counted: one thread per image adds its broadcasts (nonzero activations) and shift-add steps
/// (the column's steps for each of them) of one layer; ILGPU.Algorithms' reductions then sum the images.
/// </summary>
internal static class GpuWorkCounts
{
    /// <summary>
    /// Image <paramref name="image"/> of a layer with <c>columnSteps.Length</c> columns: adds to its
    /// <paramref name="broadcasts"/> and <paramref name="steps"/> (kept over the layers of a run).
    /// </summary>
    public static void AddLayer(Index1D image, ArrayView<byte> activations, ArrayView<long> columnSteps, ArrayView<long> broadcasts, ArrayView<long> steps)
    {
        int columns = (int)columnSteps.Length;
        long nonzero = 0;
        long shiftAdds = 0;
        for (int j = 0; j < columns; j++)
        {
            if (activations[(image * columns) + j] != 0)
            {
                nonzero++;
                shiftAdds += columnSteps[j];
            }
        }

        broadcasts[image] += nonzero;
        steps[image] += shiftAdds;
    }
}
