using CoDesign.Kernels;
using CoDesign.Runtime.Compile;

namespace CoDesign.Runtime.Devices;

/// <summary>
/// A layer as the emulated device holds it after reading its instruction through the parameter
/// path: codebook and bias widened from their packed memory words by <see cref="WidthConverter"/>,
/// each PE's pointers and entries read from its memory lane, and per-column work counts the cost
/// model needs.
/// </summary>
internal sealed class LoadedLayer
{
    private LoadedLayer(LayerInstruction instruction, short[] codebook, int[] bias, PeSlice[] slices)
    {
        Instruction = instruction;
        Codebook = codebook;
        Bias = bias;
        Slices = slices;
    }

    public LayerInstruction Instruction { get; }

    public short[] Codebook { get; }

    public int[] Bias { get; }

    public PeSlice[] Slices { get; }

    public long TotalEntries => Slices.Sum(s => (long)s.EntryCount);

    /// <summary>Reads and checks a layer; returns an error message instead when anything is out of place.</summary>
    public static LoadedLayer? Read(byte[] memory, int imageStart, int imageBytes, LayerInstruction instruction, int busBits, out string? error)
    {
        error = null;
        int rows = instruction.Rows;
        int cols = instruction.Cols;
        if (rows <= 0 || cols <= 0 || instruction.PeCount <= 0 || instruction.PointerBits is not (16 or 32) || instruction.Shift > 31)
        {
            error = $"layer instruction has impossible fields: {instruction}";
            return null;
        }

        ReadOnlySpan<byte> image = memory.AsSpan(imageStart, imageBytes);
        if (!Fits(image, instruction.CodebookOffset, WidthConverter.ByteCount(CcsEntry.CodebookSize, 16, busBits), out error)
            || !Fits(image, instruction.BiasOffset, WidthConverter.ByteCount(rows, 32, busBits), out error)
            || !Fits(image, instruction.PeTableOffset, (long)instruction.PeCount * PeSliceRecord.Size, out error))
        {
            return null;
        }

        var codebookWide = new int[CcsEntry.CodebookSize];
        WidthConverter.Unpack(image[instruction.CodebookOffset..], busBits, 16, true, codebookWide);
        var codebook = codebookWide.Select(v => (short)v).ToArray();
        var bias = new int[rows];
        WidthConverter.Unpack(image[instruction.BiasOffset..], busBits, 32, true, bias);

        var slices = new PeSlice[instruction.PeCount];
        for (int pe = 0; pe < instruction.PeCount; pe++)
        {
            PeSliceRecord record = PeSliceRecord.Decode(image[(instruction.PeTableOffset + (pe * PeSliceRecord.Size))..]);
            int pointerBytes = (cols + 1) * (instruction.PointerBits / 8);
            int word = MemoryLanes.WordBytes(instruction.PeCount);
            int lane = MemoryLanes.LaneOf(pe, instruction.PeCount);
            if (!FitsLane(image, record.PointersOffset, pointerBytes, word, lane, out error)
                || !FitsLane(image, record.EntriesOffset, record.EntryCount, word, lane, out error))
            {
                error = $"PE {pe}: {error}";
                return null;
            }

            // The slice is read through the PE's lane, as its access path reads it.
            var pointerLane = new byte[pointerBytes];
            MemoryLanes.Read(image, record.PointersOffset, pointerLane, word);
            var pointers = new int[cols + 1];
            WidthConverter.Unpack(pointerLane, instruction.PointerBits, instruction.PointerBits, false, pointers);
            var entries = new byte[record.EntryCount];
            MemoryLanes.Read(image, record.EntriesOffset, entries, word);
            var slice = new PeSlice(entries, pointers, CcsEncoder.LocalRowCount(rows, instruction.PeCount, pe));
            error = slice.Check(codebook);
            if (error is not null)
            {
                error = $"PE {pe}: {error}";
                return null;
            }

            slices[pe] = slice;
        }

        return new LoadedLayer(instruction, codebook, bias, slices);
    }

    /// <summary>
    /// A lane array (<see cref="MemoryLanes"/>) starts on a word of its PE's lane and ends inside the
    /// image (an empty one may start at its end, where the compiler leaves it).
    /// </summary>
    private static bool FitsLane(ReadOnlySpan<byte> image, int offset, long length, int word, int lane, out string? error)
    {
        if (offset < 0 || offset % word != 0 || offset % MemoryLanes.LineBytes / word != lane)
        {
            error = $"lane block at offset {offset} does not start on a word of lane {lane}";
            return false;
        }

        long end = MemoryLanes.End(offset, length, word);
        error = length < 0 || (length > 0 && end > image.Length)
            ? $"lane block at offset {offset} of {length} bytes runs to {end}, past the image end ({image.Length} bytes)"
            : null;
        return error is null;
    }

    private static bool Fits(ReadOnlySpan<byte> image, int offset, long length, out string? error)
    {
        error = offset < 0 || length < 0 || offset + length > image.Length
            ? $"block at offset {offset} of {length} bytes runs past the image end ({image.Length} bytes)"
            : null;
        return error is null;
    }

    /// <summary>One PE's slice as read from its lane: entries, pointers and cost counts.</summary>
    internal sealed class PeSlice(byte[] entries, int[] pointers, int localRows)
    {
        public byte[] Entries { get; } = entries;

        public int EntryCount => Entries.Length;

        public int[] Pointers { get; } = pointers;

        public int LocalRows { get; } = localRows;

        /// <summary>Add/subtract steps of the shift-add multiplier for each column's entries.</summary>
        public long[] ColumnSteps { get; private set; } = [];

        /// <summary>Checks pointers and entries so a malformed image cannot index outside the PE's rows; computes <see cref="ColumnSteps"/>.</summary>
        public string? Check(short[] codebook)
        {
            if (Pointers[0] != 0 || Pointers[^1] != EntryCount)
            {
                return $"pointers run from {Pointers[0]} to {Pointers[^1]}, expected 0 to {EntryCount}";
            }

            Span<int> stepsPerIndex = stackalloc int[CcsEntry.CodebookSize];
            for (int c = 0; c < CcsEntry.CodebookSize; c++)
            {
                stepsPerIndex[c] = ShiftAddMultiplier.Steps(codebook[c]);
            }

            var steps = new long[Pointers.Length - 1];
            for (int j = 0; j + 1 < Pointers.Length; j++)
            {
                if (Pointers[j + 1] < Pointers[j])
                {
                    return $"column {j} pointers decrease";
                }

                int row = 0;
                for (int e = Pointers[j]; e < Pointers[j + 1]; e++)
                {
                    byte entry = Entries[e];
                    row += CcsEntry.ZeroRun(entry) + 1;
                    steps[j] += stepsPerIndex[CcsEntry.CodebookIndex(entry)];
                }

                if (row > LocalRows)
                {
                    return $"column {j} reaches local row {row - 1} of {LocalRows}";
                }
            }

            ColumnSteps = steps;
            return null;
        }
    }
}
