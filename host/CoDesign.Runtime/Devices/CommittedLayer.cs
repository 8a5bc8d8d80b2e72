using CoDesign.Kernels;
using CoDesign.Runtime.Compile;

namespace CoDesign.Runtime.Devices;

/// <summary>
/// A layer of a committed model as a device reads it through the parameter path: codebook and bias
/// widened from their packed memory words by <see cref="WidthConverter"/>, each PE's pointers and
/// entries read from its memory lane. Every compute engine starts from this.
/// </summary>
public sealed class CommittedLayer
{
    private CommittedLayer(LayerInstruction instruction, short[] codebook, int[] bias, CommittedSlice[] slices)
    {
        Instruction = instruction;
        Codebook = codebook;
        Bias = bias;
        Slices = slices;
    }

    /// <summary>The layer's instruction: shape, PE count, output kind, requantizer shift.</summary>
    public LayerInstruction Instruction { get; }

    /// <summary>The 16 shared weights (signed 16-bit fixed point); index 0 is the padding zero.</summary>
    public short[] Codebook { get; }

    /// <summary>One bias per output row; none for a column block that holds its sums.</summary>
    public int[] Bias { get; }

    /// <summary>Each PE's CCS slice; PE <c>p</c> holds rows <c>p, p + N, p + 2N, ...</c>.</summary>
    public CommittedSlice[] Slices { get; }

    /// <summary>CCS entries over all PEs, padding included.</summary>
    public long TotalEntries => Slices.Sum(s => (long)s.EntryCount);

    /// <summary>Reads and checks a layer of <paramref name="image"/>; returns an error message instead when anything is out of place.</summary>
    public static CommittedLayer? Read(ReadOnlySpan<byte> image, LayerInstruction instruction, int busBits, out string? error)
    {
        error = null;
        int rows = instruction.Rows;
        int cols = instruction.Cols;
        if (rows <= 0 || cols <= 0 || instruction.PeCount <= 0 || instruction.PointerBits is not (16 or 32) || instruction.Shift > 31)
        {
            error = $"layer instruction has impossible fields: {instruction}";
            return null;
        }

        // A block that holds its sums adds no bias, so it carries none.
        bool hasBias = (instruction.Flags & BlockFlags.Hold) == 0;
        if (!Fits(image, instruction.CodebookOffset, WidthConverter.ByteCount(CcsEntry.CodebookSize, 16, busBits), out error)
            || (hasBias && !Fits(image, instruction.BiasOffset, WidthConverter.ByteCount(rows, 32, busBits), out error))
            || !Fits(image, instruction.PeTableOffset, (long)instruction.PeCount * PeSliceRecord.Size, out error))
        {
            return null;
        }

        var codebookWide = new int[CcsEntry.CodebookSize];
        WidthConverter.Unpack(image[instruction.CodebookOffset..], busBits, 16, true, codebookWide);
        var codebook = codebookWide.Select(v => (short)v).ToArray();
        var bias = new int[hasBias ? rows : 0];
        if (hasBias)
        {
            WidthConverter.Unpack(image[instruction.BiasOffset..], busBits, 32, true, bias);
        }

        var slices = new CommittedSlice[instruction.PeCount];
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
            var slice = new CommittedSlice(entries, pointers, CcsEncoder.LocalRowCount(rows, instruction.PeCount, pe)) { EntriesOffset = record.EntriesOffset };
            error = slice.Check(codebook);
            if (error is not null)
            {
                error = $"PE {pe}: {error}";
                return null;
            }

            slices[pe] = slice;
        }

        return new CommittedLayer(instruction, codebook, bias, slices);
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
}
