using CoDesign.Kernels;

namespace CoDesign.Runtime.Devices;

/// <summary>One PE's slice as read from its lane: entries, pointers and cost counts.</summary>
public sealed class CommittedSlice(byte[] entries, int[] pointers, int localRows)
{
    /// <summary>Packed (codebook index, zero run) entry bytes, see <see cref="CcsEntry"/>.</summary>
    public byte[] Entries { get; } = entries;

    /// <summary>Entries in the slice, padding included.</summary>
    public int EntryCount => Entries.Length;

    /// <summary>Column start pointers into <see cref="Entries"/>, one more than the layer has columns.</summary>
    public int[] Pointers { get; } = pointers;

    /// <summary>Rows this PE holds.</summary>
    public int LocalRows { get; } = localRows;

    /// <summary>
    /// Where the entries start in the image. With one memory lane (a device of one PE) they are
    /// contiguous there, so an engine can read them in place from its weight memory.
    /// </summary>
    public int EntriesOffset { get; init; }

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
