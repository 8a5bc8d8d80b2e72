namespace CoDesign.Kernels.Tests;

/// <summary>The decoder writes only its PE's rows and refuses slices that do not hold together.</summary>
public sealed class CcsDecoderTests
{
    private const byte Sentinel = 0xEE;

    [Fact]
    public void DecoderWritesOnlyItsOwnRowsAndClearsThem()
    {
        var random = new Random(5);
        IndexMatrix m = TestMatrices.Random(random, 11, 6, 3, 0.4);
        Slice[] slices = TestMatrices.EncodeAll(m);
        for (int pe = 0; pe < 3; pe++)
        {
            var output = new byte[m.Rows * m.Cols];
            output.AsSpan().Fill(Sentinel);
            Assert.True(CcsDecoder.DecodeSlice(slices[pe].Entries, slices[pe].Pointers, m.Rows, m.Cols, 3, pe, output));
            for (int i = 0; i < m.Rows; i++)
            {
                for (int j = 0; j < m.Cols; j++)
                {
                    byte expected = i % 3 == pe ? m[i, j] : Sentinel;
                    Assert.Equal(expected, output[(i * m.Cols) + j]);
                }
            }
        }
    }

    [Fact]
    public void AcceptsTheWellFormedSliceUsedByTheRejectionTests()
    {
        (byte[] entries, int[] pointers) = WellFormed();
        Assert.True(Decode(entries, pointers));
    }

    [Fact]
    public void RejectsTooFewPointers()
    {
        (byte[] entries, int[] pointers) = WellFormed();
        Assert.False(Decode(entries, pointers[..^1]));
        Assert.False(Decode(entries, []));
    }

    [Fact]
    public void RejectsAFirstPointerOtherThanZero()
    {
        (byte[] entries, int[] pointers) = WellFormed();
        pointers[0] = 1;
        Assert.False(Decode(entries, pointers));
    }

    [Fact]
    public void RejectsDecreasingPointers()
    {
        // Two columns; read as empty, the second column would decode cleanly, so only the decrease can fail it.
        byte[] entries = [CcsEntry.Pack(1, 0), CcsEntry.Pack(2, 0)];
        var output = new byte[8 * 2];
        Assert.True(CcsDecoder.DecodeSlice(entries, [0, 2, 2], 8, 2, 2, 1, output));
        Assert.False(CcsDecoder.DecodeSlice(entries, [0, 2, 1], 8, 2, 2, 1, output));
    }

    [Fact]
    public void RejectsPointersPastTheEntries()
    {
        (byte[] entries, int[] pointers) = WellFormed();
        pointers[^1] = entries.Length + 1;
        Assert.False(Decode(entries, pointers));
        Assert.False(Decode(entries[..^1], WellFormed().Pointers));
    }

    [Fact]
    public void RejectsAZeroRunThatLeavesThePesRows()
    {
        (byte[] entries, int[] pointers) = WellFormed();

        // The PE owns 4 rows; a run of 4 before an entry lands on local row 4.
        entries[0] = CcsEntry.Pack(3, 4);
        Assert.False(Decode(entries, pointers));

        // Padding (0, 15) is an entry too: it needs 16 rows.
        entries[0] = CcsEntry.Pack(0, 15);
        Assert.False(Decode(entries, pointers));

        // Entries that are each in range but together run past the last row.
        entries = [CcsEntry.Pack(1, 1), CcsEntry.Pack(1, 1), CcsEntry.Pack(1, 0)];
        Assert.False(Decode(entries, [0, 3, 3, 3]));
        Assert.True(Decode(entries[..2], [0, 2, 2, 2]));
    }

    [Fact]
    public void RejectsEntriesForAPeThatOwnsNoRows()
    {
        var output = new byte[2 * 3];
        Assert.True(CcsDecoder.DecodeSlice([], [0, 0, 0, 0], 2, 3, 4, 3, output));
        Assert.False(CcsDecoder.DecodeSlice([CcsEntry.Pack(1, 0)], [0, 1, 1, 1], 2, 3, 4, 3, output));
    }

    /// <summary>PE 1 of 2 in an 8 x 3 matrix (local rows 0..3 = global rows 1, 3, 5, 7).</summary>
    private static (byte[] Entries, int[] Pointers) WellFormed()
    {
        byte[] indices =
        [
            0, 0, 0,
            4, 0, 1,
            0, 0, 0,
            0, 0, 2,
            0, 0, 0,
            0, 0, 0,
            0, 0, 0,
            5, 0, 3,
        ];
        Slice slice = TestMatrices.EncodeAll(new IndexMatrix(8, 3, 2, indices))[1];
        Assert.Equal([0, 2, 2, 5], slice.Pointers);
        return (slice.Entries, slice.Pointers);
    }

    private static bool Decode(byte[] entries, int[] pointers) => CcsDecoder.DecodeSlice(entries, pointers, 8, 3, 2, 1, new byte[8 * 3]);
}
