namespace CoDesign.Runtime.Devices;

/// <summary>
/// The emulator's cycle count for one layer, the model the RTL is held to (issue: within 5%).
/// <list type="bullet">
/// <item>The vector path scans the activations one bus word per cycle and broadcasts each nonzero.</item>
/// <item>Each PE pops every broadcast from its FIFO and consumes one CCS entry per cycle; a broadcast
/// with no entries in that PE's slice still costs the pop: <c>busy(pe) = sum over nonzero x_j of max(1, n_pe(j))</c>.
/// FIFOs decouple the PEs, so the slowest PE sets the pace (EIE's load-balance argument).</item>
/// <item>The shift-add multiplier is pipelined (one CSD digit per stage), so it adds latency, not
/// throughput; its add/subtract steps are counted separately as the in-memory-compute work.</item>
/// <item>Then bias, ReLU and requantization drain one row per cycle per PE while the result path
/// packs results into bus words; the longer of the two counts.</item>
/// </list>
/// <c>cycles = max(scan, max busy) + PipelineLatency + max(drain, write) + InstructionOverhead</c>.
/// </summary>
public static class CostModel
{
    /// <summary>
    /// Cycles from a broadcast entering a PE to its last sum landing in the accumulator: 3 to the
    /// first entry address, 8 through decode, recoding, the 3-stage multiplier and the accumulator
    /// read-modify-write (measured on hardware/rtl/pe.v).
    /// </summary>
    public const int PipelineLatency = 11;

    /// <summary>Cycles to fetch and decode one layer instruction and its PE table.</summary>
    public const int InstructionOverhead = 8;

    /// <summary>Cycles of one layer.</summary>
    /// <param name="cols">Inputs of the layer.</param>
    /// <param name="rows">Outputs of the layer.</param>
    /// <param name="peCount">PEs.</param>
    /// <param name="busBits">Memory word width.</param>
    /// <param name="outputBits">Width of each result written back (8 or 32).</param>
    /// <param name="slowestPeBusy">The largest per-PE busy count, see the class summary.</param>
    public static long LayerCycles(int cols, int rows, int peCount, int busBits, int outputBits, long slowestPeBusy)
    {
        long scan = ((long)cols * 8 + busBits - 1) / busBits;
        long drain = (rows + peCount - 1) / peCount;
        long write = ((long)rows * outputBits + busBits - 1) / busBits;
        return Math.Max(scan, slowestPeBusy) + PipelineLatency + Math.Max(drain, write) + InstructionOverhead;
    }
}
