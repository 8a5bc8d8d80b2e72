using CoDesign.Runtime.Compile;

namespace CoDesign.Runtime.Devices.Emulator;

/// <summary>
/// Cycles of the sequential engine that the board builds carry today (hardware/rtl/sequential_engine.v): the
/// PEs' slices taken one after the other, a column at a time over the byte-wide weight memory, its
/// entries streamed through a pipeline one a cycle. It is counted state by state from the RTL, so it predicts the simulated hardware's
/// cycle counter exactly; <see cref="PeArrayCostModel"/> is the EIE-style PE array the design is heading
/// for. A fetch of n bytes costs n + 1 cycles (one address per cycle, one cycle of read latency).
/// </summary>
public static class SequentialEngineCostModel
{
    /// <summary>One entry: its address on the byte port. Decoding, the codebook read, the 3-cycle
    /// multiplier (shift-add or SB_MAC16) and the accumulator's read and write follow in a pipeline
    /// beside the next column's activation and pointer reads.</summary>
    public const int EntryCycles = 1;

    /// <summary>Once per layer, after the last PE's columns: the pipeline's last entries land before the rows are read.</summary>
    public const int SettleCycles = 4;

    /// <summary>One raw output row (the last layer's): its bias fetched (5), the accumulator read, the 2-stage requantizer; then its 4 bytes stored.</summary>
    public const int RowCycles = 10;

    /// <summary>One row whose result is a byte (an activation, or ChainOut's): its bias fetched (5) while the row before is requantized, and handed to the requantizer.</summary>
    public const int StreamedRowCycles = 5 + 1;

    /// <summary>Once per layer of streamed rows: the first row's reads set up, and the last result out of the requantizer.</summary>
    public const int StreamedRowsCycles = 1 + 3;

    /// <summary>Header: layer count (3 + 1), input size (5 + 2, checked in a cycle of its own),
    /// instructions offset (5 + 1), and the cycle that ends the input copy.</summary>
    public const int HeaderCycles = 18;

    /// <summary>A layer's instruction: seven 4-byte fields, each fetched (5) then checked and used (2).</summary>
    public const int InstructionCycles = 7 * (5 + 2);

    /// <summary>The 16 codebook entries, each fetched (3) and recoded (1).</summary>
    public const int CodebookCycles = 16 * (3 + 1);

    /// <summary>A PE's record (two 4-byte fetches, 6 each), the two reads that start its activation scan, and the two cycles that end its columns.</summary>
    public const int PeCycles = 12 + 2 + 2;

    /// <summary>A column block's first column (instruction bytes 28..31), which only a block's instruction is read to: fetched (5), checked and used (2).</summary>
    public const int BlockFieldCycles = 5 + 2;

    /// <summary>Cycles spent on one input before its layers: the header and the copy of its bytes.</summary>
    /// <param name="inputSize">Bytes of the input.</param>
    public static long ImageCycles(int inputSize) => HeaderCycles + inputSize;

    /// <summary>Cycles of one layer.</summary>
    /// <param name="cols">Inputs of the layer.</param>
    /// <param name="rows">Outputs of the layer.</param>
    /// <param name="peCount">PE slices the image holds.</param>
    /// <param name="pointerBits">Width of the stored column pointers (16 or 32).</param>
    /// <param name="raw">Whether the layer emits raw 32-bit values (the last layer), each stored as 4 bytes.</param>
    /// <param name="nonzeroInputs">Nonzero inputs: each is a column that every PE looks up.</param>
    /// <param name="entries">CCS entries read, over all PEs' nonzero columns.</param>
    public static long LayerCycles(int cols, int rows, int peCount, int pointerBits, bool raw, long nonzeroInputs, long entries)
    {
        return InstructionCycles + CodebookCycles + rows + ColumnCycles(cols, peCount, pointerBits, nonzeroInputs, entries) + OutputCycles(rows, raw);
    }

    /// <summary>
    /// Cycles of one input through a column block (<see cref="BlockFlags"/>): the header, the copy of its
    /// input bytes unless it has none (a chained block reads scratch), and the layer, with the block's
    /// first column read; no accumulator clear when it accumulates; no rows when it holds; and when it
    /// chains its outputs, each row written to scratch in its requantizer's last cycle.
    /// </summary>
    /// <param name="inputSize">Input bytes the Run carries per input (0 for a chained block).</param>
    /// <param name="cols">Columns of the block.</param>
    /// <param name="rows">Outputs of the layer.</param>
    /// <param name="peCount">PE slices the image holds.</param>
    /// <param name="pointerBits">Width of the stored column pointers (16 or 32).</param>
    /// <param name="raw">Whether the layer emits raw 32-bit values.</param>
    /// <param name="flags">The block's flags.</param>
    /// <param name="nonzeroInputs">Nonzero inputs of the block.</param>
    /// <param name="entries">CCS entries read, over all PEs' nonzero columns.</param>
    public static long BlockCycles(int inputSize, int cols, int rows, int peCount, int pointerBits, bool raw, BlockFlags flags, long nonzeroInputs, long entries)
    {
        long image = inputSize == 0 ? HeaderCycles - 1 : ImageCycles(inputSize);
        long clear = (flags & BlockFlags.Accumulate) != 0 ? 0 : rows;
        long outputs = (flags & BlockFlags.Hold) != 0 ? 0 : (flags & BlockFlags.ChainOut) != 0 ? StreamedRows(rows) : OutputCycles(rows, raw);
        return image + InstructionCycles + BlockFieldCycles + CodebookCycles + clear + ColumnCycles(cols, peCount, pointerBits, nonzeroInputs, entries) + outputs;
    }

    // The PE records, the columns' scan and the entries.
    private static long ColumnCycles(int cols, int peCount, int pointerBits, long nonzeroInputs, long entries)
    {
        int pointerBytes = pointerBits / 8;

        // Every PE scans every column, one a cycle (the next activations are read ahead); a nonzero one
        // adds the pointer fetch's setup, p[j] and p[j + 1] (one 4-byte fetch with 16-bit pointers, two
        // with 32-bit ones, each then used) and the cycle that checks them.
        long pointerFetches = pointerBytes == 2 ? 5 + 1 : 2 * (5 + 1);
        long columns = (long)peCount * (cols + (nonzeroInputs * (1 + pointerFetches + 1)));
        return ((long)peCount * PeCycles) + columns + (entries * EntryCycles) + SettleCycles;
    }

    // Bias, requantization and the store of each output row (raw values 4 bytes each, one row at a
    // time; activations streamed), and the cycle that moves to the next layer after activations.
    private static long OutputCycles(int rows, bool raw) => raw ? (long)rows * (RowCycles + 4) : StreamedRows(rows) + 1;

    private static long StreamedRows(int rows) => ((long)rows * StreamedRowCycles) + StreamedRowsCycles;
}
