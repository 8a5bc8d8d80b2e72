using CoDesign.Runtime.Compile;

namespace CoDesign.Planner.Profile;

/// <summary>
/// What the profile module measured of one column block: its place in the model, the device memory its
/// image takes (which is also what streaming it costs on the link), and its compute cycles by the
/// device's cost model. A layer whose sums do not fit the device's accumulators is also cut into row
/// blocks: each computes some of the layer's outputs over its own column blocks and sends them to the host.
/// </summary>
/// <param name="Model">Name of the model the block belongs to.</param>
/// <param name="Layer">Layer index.</param>
/// <param name="FirstCol">First input column of the block.</param>
/// <param name="Cols">Columns in the block.</param>
/// <param name="Bytes">Bytes of its device image: memory while it is on the device, DMA payload when it is sent.</param>
/// <param name="Entries">CCS entries (padding included) over all PEs.</param>
/// <param name="Cycles">Cycles of one input through the block, by the PE array's cost model with every column active (an upper bound).</param>
/// <param name="Flags">How it treats the accumulators and the activations in scratch.</param>
/// <param name="FirstRow">First output row of the block's row block (0 when the layer is not cut into rows).</param>
/// <param name="Rows">Output rows of its row block.</param>
/// <param name="LayerRows">Output rows of the whole layer.</param>
public sealed record BlockProfile(string Model, int Layer, int FirstCol, int Cols, int Bytes, long Entries, long Cycles, BlockFlags Flags, int FirstRow, int Rows, int LayerRows)
{
    /// <summary>True when the layer is cut into row blocks and this block computes some of its rows.</summary>
    public bool IsRowBlock => Rows < LayerRows;

    /// <summary>True when its Run sends outputs to the host (it neither holds its sums nor leaves them in scratch).</summary>
    public bool Emits => Flags.Emits();

    /// <summary>The block in words, e.g. <c>L0[0..97]</c>, or <c>L0[0..97] rows 0..203</c> in a row block.</summary>
    public string Label => $"L{Layer}[{FirstCol}..{FirstCol + Cols - 1}]" + (IsRowBlock ? $" rows {FirstRow}..{FirstRow + Rows - 1}" : "");
}
