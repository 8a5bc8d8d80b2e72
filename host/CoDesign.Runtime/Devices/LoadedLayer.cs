using CoDesign.Kernels;
using CoDesign.Runtime.Compile;

namespace CoDesign.Runtime.Devices;

/// <summary>
/// A layer as the emulated device holds it after reading its instruction through the parameter
/// path: pointers, codebook and bias widened from their packed memory words by
/// <see cref="WidthConverter"/>, entries left in place in device memory, and per-column work counts
/// the cost model needs.
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
            if (!Fits(image, record.PointersOffset, WidthConverter.ByteCount(cols + 1, instruction.PointerBits, busBits), out error)
                || !Fits(image, record.EntriesOffset, record.EntryCount, out error))
            {
                error = $"PE {pe}: {error}";
                return null;
            }

            var pointers = new int[cols + 1];
            WidthConverter.Unpack(image[record.PointersOffset..], busBits, instruction.PointerBits, false, pointers);
            var slice = new PeSlice(imageStart + record.EntriesOffset, record.EntryCount, pointers, CcsEncoder.LocalRowCount(rows, instruction.PeCount, pe));
            error = slice.Check(memory, codebook);
            if (error is not null)
            {
                error = $"PE {pe}: {error}";
                return null;
            }

            slices[pe] = slice;
        }

        return new LoadedLayer(instruction, codebook, bias, slices);
    }

    private static bool Fits(ReadOnlySpan<byte> image, int offset, long length, out string? error)
    {
        error = offset < 0 || length < 0 || offset + length > image.Length
            ? $"block at offset {offset} of {length} bytes runs past the image end ({image.Length} bytes)"
            : null;
        return error is null;
    }

    /// <summary>One PE's slice: entries stay in device memory; pointers and cost counts are decoded.</summary>
    internal sealed class PeSlice(int entriesAddress, int entryCount, int[] pointers, int localRows)
    {
        public int EntriesAddress { get; } = entriesAddress;

        public int EntryCount { get; } = entryCount;

        public int[] Pointers { get; } = pointers;

        public int LocalRows { get; } = localRows;

        /// <summary>Add/subtract steps of the shift-add multiplier for each column's entries.</summary>
        public long[] ColumnSteps { get; private set; } = [];

        /// <summary>Checks pointers and entries so a malformed image cannot index outside the PE's rows; computes <see cref="ColumnSteps"/>.</summary>
        public string? Check(byte[] memory, short[] codebook)
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
                    byte entry = memory[EntriesAddress + e];
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
