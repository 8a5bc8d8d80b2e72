namespace CoDesign.Runtime.Devices.Emulator;

/// <summary>
/// The emulator's cycle count for the EIE-style PE array (hardware/rtl/pe_array_engine.v, the layer engine with
/// <c>PE_ARRAY=1</c>, which the Verilator device simulates; the RTL is held to it within 5%).
/// <list type="bullet">
/// <item>Per layer the engine reads the instruction, the codebook and the PE table as the
/// sequential engine does (<see cref="SequentialEngineCostModel"/>), then every PE copies its
/// <c>cols + 1</c> column pointers from its memory lane into its pointer banks, all PEs at once.
/// Layer 0's input is copied from the receive buffer at the same time (one byte a cycle), so it
/// costs nothing of its own unless it is the longer of the two.</item>
/// <item>The vector path scans the activations four per cycle (a word of the banked activation
/// buffer) and broadcasts each nonzero one, one per cycle.</item>
/// <item>Each PE pops every broadcast from its FIFO and consumes one CCS entry per cycle; a broadcast
/// with no entries in that PE's slice still costs the pop: <c>busy(pe) = sum over nonzero x_j of max(1, n_pe(j))</c>.
/// FIFOs decouple the PEs, so the slowest PE sets the pace (EIE's load-balance argument).</item>
/// <item>The shift-add multiplier is pipelined (one CSD digit per stage), so it adds latency, not
/// throughput; its add/subtract steps are counted separately as the in-memory-compute work.</item>
/// <item>Then one requantizer drains a row per cycle, its bias read a memory line (two biases) at a
/// time; a raw 32-bit output goes to the byte-wide transmit buffer in four cycles, one row at a time.</item>
/// </list>
/// <c>cycles = header + per layer (front + max(pointers, input copy) + max(scan, max busy) + latency + drain)</c>.
/// </summary>
public static class PeArrayCostModel
{
    /// <summary>
    /// Cycles from a broadcast entering a PE to its last sum landing in the accumulator: 3 to the
    /// first entry address, 8 through decode, recoding, the 3-stage multiplier and the accumulator
    /// read-modify-write (measured on hardware/rtl/pe.v).
    /// </summary>
    public const int PipelineLatency = 11;

    /// <summary>Cycles from the scan's first read to the first broadcast reaching the PEs (the
    /// activation buffer's two cycles and the broadcast FIFO's one), and the cycle that sees them done.</summary>
    public const int ScanLatency = 4;

    /// <summary>A PE's record read from the PE table (two 4-byte fetches of 6 cycles) and the cycle that moves to the next.</summary>
    public const int RecordCycles = 12 + 1;

    /// <summary>Beyond one cycle per pointer: the load's start, the last read's latency and the cycle that sees it done.</summary>
    public const int PointerLoadLatency = 3;

    /// <summary>Beyond one cycle per row: the accumulator and bias reads, the 2-stage requantizer, the store and the cycle that sees it.</summary>
    public const int DrainLatency = 5;

    /// <summary>Cycles of a raw output row: issued, read (1), requantized (3), stored as 4 bytes (4), seen (1).</summary>
    public const int RawRowCycles = 9;

    /// <summary>Cycles spent on one input before its layers: the header, after a cycle that checks the array is free.</summary>
    public const int HeaderCycles = SequentialEngineCostModel.HeaderCycles;

    /// <summary>Beyond one cycle per input byte: the copy's first read and the cycle that sees it done.</summary>
    public const int InputCopyLatency = 2;

    /// <summary>
    /// A compiled PE's kernel call (hardware/rtl/compiled_pe.v: <c>SparseMatVec.MultiplyAccumulate</c>
    /// compiled with <c>--stall</c>) beyond one cycle per column and one per entry: its start, the steps
    /// before its flat loop and the loop pipeline's drain (the return runs in the drain's last cycle).
    /// The schedule predicts it and the RTL runs it exactly when not held (<c>PeRtlTests</c> holds every
    /// call of the compiled PE to <see cref="CompiledPeBusy"/>, on random slices and on the shipped
    /// model's: 4 x (784 + 9) + 27,902 entries = 31,074 cycles on layer 0's slice for 4 images). For a
    /// layer of at least one column.
    /// </summary>
    public const int CompiledPeCallCycles = 9;

    /// <summary>
    /// Busy cycles of a compiled PE in a layer: its kernel steps through every column, a zero one
    /// too, then through the entries of each nonzero one, where pe.v only sees the broadcasts.
    /// </summary>
    /// <param name="cols">Inputs of the layer.</param>
    /// <param name="entries">Entries of this PE's slice in the nonzero columns.</param>
    public static long CompiledPeBusy(int cols, long entries) => cols + entries + CompiledPeCallCycles;

    /// <summary>
    /// The PEs' part of a layer, from the first broadcast to the last sum landing: the scan (four
    /// activations a cycle) or the slowest PE, whichever is longer, and the pipeline's latency.
    /// </summary>
    /// <param name="cols">Inputs of the layer.</param>
    /// <param name="slowestPeBusy">The largest per-PE busy count, see the class summary.</param>
    public static long ComputeCycles(int cols, long slowestPeBusy) => Math.Max((cols + 3) / 4, slowestPeBusy) + PipelineLatency;

    /// <summary>Cycles of one layer.</summary>
    /// <param name="cols">Inputs of the layer.</param>
    /// <param name="rows">Outputs of the layer.</param>
    /// <param name="peCount">PEs.</param>
    /// <param name="raw">Whether the layer emits raw 32-bit values (the last layer).</param>
    /// <param name="slowestPeBusy">The largest per-PE busy count, see the class summary.</param>
    /// <param name="inputSize">Bytes of the input copied beside the pointers: the image's input for layer 0, else 0.</param>
    public static long LayerCycles(int cols, int rows, int peCount, bool raw, long slowestPeBusy, int inputSize = 0)
    {
        return Front(peCount) + Array(cols, slowestPeBusy, inputSize) + Drain(rows, raw) + (raw ? 0 : 1);   // + 1 for 8-bit outputs: the cycle that starts the next layer
    }

    /// <summary>Beyond its columns, a chained block's copy of its input from the activations a layer left (a read's two cycles).</summary>
    public const int ChainCopyLatency = 2;

    /// <summary>
    /// Cycles of one input through a column block (<see cref="Compile.BlockFlags"/>; pe_array_engine.v
    /// with <c>COLUMN_BLOCKS</c>): a chained block reads no input bytes but copies its columns from the
    /// activations the previous layer left, one a cycle; the instruction has its first column too;
    /// Accumulate costs nothing (a drain leaves the accumulators cleared); Hold drains nothing; a
    /// ChainOut drain goes straight to the reply.
    /// </summary>
    /// <param name="inputSize">Bytes of the Run's input (0 for a chained block).</param>
    /// <param name="cols">Inputs of the block.</param>
    /// <param name="rows">Outputs of the layer.</param>
    /// <param name="peCount">PEs.</param>
    /// <param name="raw">Whether the layer emits raw 32-bit values.</param>
    /// <param name="flags">The block's flags.</param>
    /// <param name="slowestPeBusy">The largest per-PE busy count, see the class summary.</param>
    public static long BlockCycles(int inputSize, int cols, int rows, int peCount, bool raw, Compile.BlockFlags flags, long slowestPeBusy)
    {
        long chain = (flags & Compile.BlockFlags.ChainIn) != 0 ? cols + ChainCopyLatency : 0;
        long drain = (flags & Compile.BlockFlags.Hold) != 0 ? 0 : Drain(rows, raw);
        return HeaderCycles + chain + Front(peCount) + SequentialEngineCostModel.BlockFieldCycles + Array(cols, slowestPeBusy, inputSize) + drain;
    }

    // The instruction, the codebook and the PE table.
    private static long Front(int peCount) => SequentialEngineCostModel.InstructionCycles + SequentialEngineCostModel.CodebookCycles + ((long)peCount * RecordCycles);

    // The pointer copy (beside the input's, if any), the scan and the PEs.
    private static long Array(int cols, long slowestPeBusy, int inputSize) =>
        Math.Max(cols + 1 + PointerLoadLatency, inputSize == 0 ? 0 : inputSize + InputCopyLatency) + ScanLatency + ComputeCycles(cols, slowestPeBusy);

    // The rows out through the requantizer.
    private static long Drain(int rows, bool raw) => raw ? ((long)rows * RawRowCycles) + 1 : rows + DrainLatency;   // + 1: the cycle that sees the last raw row stored (measured)
}
