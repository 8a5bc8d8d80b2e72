namespace CoDesign.Runtime.Compile;

/// <summary>
/// How a column block of a layer (<see cref="LayerInstruction.SparseFullyConnectedBlock"/>) treats the
/// device's accumulators: byte 6 of its instruction. A layer cut into column blocks runs as one block
/// per Run; the first clears the accumulators and holds, the middle ones accumulate and hold, the last
/// accumulates and then adds the bias, requantizes and emits, so the sums equal the whole layer's bit for bit.
/// Hidden activations can stay in scratch between layers (<see cref="ChainIn"/>, <see cref="ChainOut"/>),
/// so they never cross the link.
/// </summary>
[Flags]
public enum BlockFlags : byte
{
    /// <summary>A whole layer: clear the accumulators, multiply, emit.</summary>
    None = 0x00,

    /// <summary>"Accumulate, don't clear": start from the sums the previous block left in the accumulators.</summary>
    Accumulate = 0x01,

    /// <summary>Leave the sums in the accumulators and emit nothing: no bias, no requantization (more blocks follow).</summary>
    Hold = 0x02,

    /// <summary>
    /// Read the input from the activations the previous layer left in scratch, columns
    /// <see cref="LayerInstruction.FirstCol"/> on; the Run carries no input bytes.
    /// </summary>
    ChainIn = 0x04,

    /// <summary>Leave the requantized 8-bit outputs in scratch as the next layer's input; the Run reply carries none.</summary>
    ChainOut = 0x08,
}

/// <summary>What a block's flags mean for its Run.</summary>
public static class BlockFlagsExtensions
{
    /// <summary>
    /// True when the block's Run sends its outputs in the reply: it neither holds its sums
    /// (<see cref="BlockFlags.Hold"/>) nor leaves them in scratch (<see cref="BlockFlags.ChainOut"/>).
    /// </summary>
    public static bool Emits(this BlockFlags flags) => (flags & (BlockFlags.Hold | BlockFlags.ChainOut)) == 0;
}
