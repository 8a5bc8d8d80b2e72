using CoDesign.Kernels;
using CoDesign.Model;

namespace CoDesign.Runtime.Devices.Cpu;

/// <summary>
/// A committed layer re-laid out for the host's vector units: row-major sparse rows (the column of
/// each nonzero weight and the weight itself), every row padded to a multiple of
/// <see cref="RowMultiple"/> entries so the row kernels keep <see cref="RowMultiple"/> independent
/// accumulators without a tail loop. The PE split of the image is undone here: the CPU walks rows.
/// </summary>
internal sealed class CpuLayer
{
    /// <summary>Entries per unrolled step of a row kernel; padding entries weigh 0 and read column 0.</summary>
    public const int RowMultiple = 4;

    /// <summary>Bytes of decoded codebook indices one band of columns may take while the layer is prepared.</summary>
    private const long BandBytes = 16L << 20;

    private CpuLayer(int rows, int cols, int shift, bool raw, int[] bias, int[] rowStarts, int[] columns, int[] weights, long[] columnEntries, long[] columnSteps)
    {
        Rows = rows;
        Cols = cols;
        Shift = shift;
        Raw = raw;
        Bias = bias;
        RowStarts = rowStarts;
        Columns = columns;
        Weights = weights;
        ColumnEntries = columnEntries;
        ColumnSteps = columnSteps;
    }

    /// <summary>Outputs of the layer.</summary>
    public int Rows { get; }

    /// <summary>Inputs of the layer.</summary>
    public int Cols { get; }

    /// <summary>The requantizer's right shift (hidden layers).</summary>
    public int Shift { get; }

    /// <summary>Whether the layer emits raw 32-bit accumulators (the last layer) instead of 8-bit activations.</summary>
    public bool Raw { get; }

    /// <summary>One bias per row; the row kernels start their accumulator from it.</summary>
    public int[] Bias { get; }

    /// <summary>Row <c>r</c>'s entries are <c>RowStarts[r] .. RowStarts[r + 1]</c> of <see cref="Columns"/> and <see cref="Weights"/>.</summary>
    public int[] RowStarts { get; }

    /// <summary>Column of each entry.</summary>
    public int[] Columns { get; }

    /// <summary>Codebook value of each entry, sign-extended to 32 bits (the 16-bit multiply reads the low half).</summary>
    public int[] Weights { get; }

    /// <summary>Weights of entries <c>2p</c> (low half) and <c>2p + 1</c> (high half) as one word.</summary>
    public required int[] PairWeights { get; init; }

    /// <summary>Row <c>r</c>'s runs of equal weights are <c>RowRuns[r] .. RowRuns[r + 1]</c> of <see cref="RunEnds"/> and <see cref="RunWeights"/> (padding excluded).</summary>
    public required int[] RowRuns { get; init; }

    /// <summary>One past the last entry of each run.</summary>
    public required int[] RunEnds { get; init; }

    /// <summary>The weight all entries of a run share.</summary>
    public required int[] RunWeights { get; init; }

    /// <summary>CCS entries of each column over all PEs, padding included: what the emulator consumes for a nonzero input there.</summary>
    public long[] ColumnEntries { get; }

    /// <summary>Shift-add steps of each column over all PEs.</summary>
    public long[] ColumnSteps { get; }

    /// <summary>Stored entries, row padding included.</summary>
    public int EntryCount => Columns.Length;

    /// <summary>
    /// Decodes <paramref name="layer"/>'s CCS slices with <see cref="CcsDecoder"/> into dense codebook
    /// indices, a band of columns at a time, and keeps each row's entries whose weight is not zero.
    /// Padding entries (index 0) add <c>codebook[0] * x</c> on the emulator; a compiled model's
    /// <c>codebook[0]</c> is 0, and when an image's is not, the padding positions are decoded too.
    /// </summary>
    public static CpuLayer From(CommittedLayer layer)
    {
        Compile.LayerInstruction ins = layer.Instruction;
        int rows = ins.Rows;
        int cols = ins.Cols;
        int band = (int)Math.Clamp(BandBytes / rows, 1, cols);
        short[] codebook = layer.Codebook;
        var rowColumns = new List<int>[rows];
        var rowWeights = new List<int>[rows];
        for (int r = 0; r < rows; r++)
        {
            rowColumns[r] = [];
            rowWeights[r] = [];
        }

        var indices = new byte[(long)rows * band];
        byte[]? padding = codebook[0] != 0 ? new byte[indices.Length] : null;
        for (int first = 0; first < cols; first += band)
        {
            int width = Math.Min(band, cols - first);
            DecodeBand(layer, first, width, indices, markPadding: false);
            if (padding is not null)
            {
                DecodeBand(layer, first, width, padding, markPadding: true);
            }

            for (int r = 0; r < rows; r++)
            {
                for (int j = 0; j < width; j++)
                {
                    long at = ((long)r * width) + j;
                    int weight = indices[at] != 0 ? codebook[indices[at]] : padding is not null && padding[at] != 0 ? codebook[0] : 0;
                    if (weight != 0)
                    {
                        rowColumns[r].Add(first + j);
                        rowWeights[r].Add(weight);
                    }
                }
            }
        }

        var rowStarts = new int[rows + 1];
        for (int r = 0; r < rows; r++)
        {
            rowStarts[r + 1] = rowStarts[r] + ((rowColumns[r].Count + RowMultiple - 1) / RowMultiple * RowMultiple);
        }

        var columns = new int[rowStarts[rows]];
        var weights = new int[rowStarts[rows]];
        var runEnds = new List<int>();
        var runWeights = new List<int>();
        var rowRuns = new int[rows + 1];
        for (int r = 0; r < rows; r++)
        {
            // Entries in order of weight: the one-image kernel adds a run's inputs and multiplies once.
            int start = rowStarts[r];
            int n = rowColumns[r].Count;
            rowColumns[r].CopyTo(columns, start);
            rowWeights[r].CopyTo(weights, start);
            Array.Sort(weights, columns, start, n);
            for (int e = start; e < start + n; e++)
            {
                if (e + 1 == start + n || weights[e + 1] != weights[e])
                {
                    runEnds.Add(e + 1);
                    runWeights.Add(weights[e]);
                }
            }

            rowRuns[r + 1] = runEnds.Count;
        }

        var columnEntries = new long[cols];
        var columnSteps = new long[cols];
        foreach (CommittedSlice slice in layer.Slices)
        {
            for (int j = 0; j < cols; j++)
            {
                columnEntries[j] += slice.Pointers[j + 1] - slice.Pointers[j];
                columnSteps[j] += slice.ColumnSteps[j];
            }
        }

        // Entries e and e + 1 of a row (rows hold whole pairs) as one 32-bit word: vpmaddwd multiplies both at once.
        var pairWeights = new int[weights.Length / 2];
        for (int p = 0; p < pairWeights.Length; p++)
        {
            pairWeights[p] = (ushort)weights[2 * p] | (weights[(2 * p) + 1] << 16);
        }

        return new CpuLayer(rows, cols, ins.Shift, ins.OutputKind == LayerOutput.Raw32, [.. layer.Bias], rowStarts, columns, weights, columnEntries, columnSteps)
        {
            PairWeights = pairWeights,
            RowRuns = rowRuns,
            RunEnds = [.. runEnds],
            RunWeights = [.. runWeights],
        };
    }

    /// <summary>
    /// Decodes columns <paramref name="first"/> .. + <paramref name="width"/> of every PE's slice into
    /// <paramref name="indices"/> (rows x width). With <paramref name="markPadding"/> the entries are
    /// recoded first so that exactly the padding entries (index 0) decode as nonzero.
    /// </summary>
    private static void DecodeBand(CommittedLayer layer, int first, int width, byte[] indices, bool markPadding)
    {
        Compile.LayerInstruction ins = layer.Instruction;
        for (int pe = 0; pe < ins.PeCount; pe++)
        {
            CommittedSlice slice = layer.Slices[pe];
            int begin = slice.Pointers[first];
            int end = slice.Pointers[first + width];
            ReadOnlySpan<byte> entries = slice.Entries.AsSpan(begin, end - begin);
            if (markPadding)
            {
                byte[] marked = entries.ToArray();
                for (int e = 0; e < marked.Length; e++)
                {
                    marked[e] = CcsEntry.Pack(CcsEntry.CodebookIndex(marked[e]) == 0 ? 1 : 0, CcsEntry.ZeroRun(marked[e]));
                }

                entries = marked;
            }

            // The band's pointers, rebased to its first entry, make it a slice of its own.
            var pointers = new int[width + 1];
            for (int j = 0; j <= width; j++)
            {
                pointers[j] = slice.Pointers[first + j] - begin;
            }

            if (!CcsDecoder.DecodeSlice(entries, pointers, ins.Rows, width, ins.PeCount, pe, indices.AsSpan(0, ins.Rows * width)))
            {
                throw new InvalidDataException($"PE {pe}: its slice does not decode in columns {first}..{first + width - 1}");
            }
        }
    }
}
