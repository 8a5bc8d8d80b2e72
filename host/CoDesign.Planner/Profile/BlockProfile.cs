using CoDesign.Runtime.Compile;

namespace CoDesign.Planner.Profile;

/// <summary>
/// What the profile module measured of one column block: its place in the model, the device memory its
/// image takes (which is also what streaming it costs on the link), and its compute cycles by the
/// device's cost model.
/// </summary>
/// <param name="Model">Name of the model the block belongs to.</param>
/// <param name="Layer">Layer index.</param>
/// <param name="FirstCol">First input column of the block.</param>
/// <param name="Cols">Columns in the block.</param>
/// <param name="Bytes">Bytes of its device image: memory while it is on the device, DMA payload when it is sent.</param>
/// <param name="Entries">CCS entries (padding included) over all PEs.</param>
/// <param name="Cycles">Cycles of one input through the block, by the PE array's cost model with every column active (an upper bound).</param>
/// <param name="Flags">How it treats the accumulators and the activations in scratch.</param>
public sealed record BlockProfile(string Model, int Layer, int FirstCol, int Cols, int Bytes, long Entries, long Cycles, BlockFlags Flags)
{
    /// <summary>The block in words, e.g. <c>L0[0..97]</c>.</summary>
    public string Label => $"L{Layer}[{FirstCol}..{FirstCol + Cols - 1}]";
}
