using CoDesign.Kernels;

namespace CoDesign.Model.Tests;

/// <summary>CcsMatrix: encoding, decoding, repartitioning over other PE counts, and structural validation.</summary>
public sealed class CcsMatrixTests
{
    [Fact]
    public void EncodeThenDecodeRoundTripsForManyShapesAndPeCounts()
    {
        var random = new Random(1);
        for (int trial = 0; trial < 100; trial++)
        {
            int rows = random.Next(1, 70);
            int cols = random.Next(1, 30);
            int peCount = random.Next(1, 12);
            byte[] indices = RandomIndices(random, rows * cols, new[] { 0.0, 0.03, 0.2, 1.0 }[trial % 4]);
            CcsMatrix matrix = CcsMatrix.Encode(indices, rows, cols, peCount);
            Assert.Equal(rows, matrix.Rows);
            Assert.Equal(cols, matrix.Cols);
            Assert.Equal(peCount, matrix.PeCount);
            Assert.Null(matrix.Validate());
            Assert.Equal(indices, matrix.DecodeIndices());
            Assert.Equal(indices.Count(v => v != 0), matrix.NonzeroCount);
            Assert.Equal(matrix.Slices.Sum(s => s.Entries.Length), matrix.EntryCount);
        }
    }

    [Fact]
    public void SlicesAreTheKernelEncodersOutput()
    {
        var random = new Random(2);
        byte[] indices = RandomIndices(random, 37 * 11, 0.1);
        CcsMatrix matrix = CcsMatrix.Encode(indices, 37, 11, 4);
        for (int pe = 0; pe < 4; pe++)
        {
            var entries = new byte[CcsEncoder.CountSliceEntries(indices, 37, 11, 4, pe)];
            var pointers = new int[12];
            CcsEncoder.EncodeSlice(indices, 37, 11, 4, pe, entries, pointers);
            Assert.Equal(entries, matrix.Slices[pe].Entries);
            Assert.Equal(pointers, matrix.Slices[pe].Pointers);
            Assert.Equal(entries.Length, matrix.Slices[pe].EntryCount);
        }
    }

    [Fact]
    public void CountsAndDensityOnAHandExample()
    {
        // One column of 20 rows, one PE: 17 zeros then 5, 0, 6 -> padding (0,15), (5,1), (6,1): 3 entries, 2 nonzeros.
        var indices = new byte[20];
        indices[17] = 5;
        indices[19] = 6;
        CcsMatrix matrix = CcsMatrix.Encode(indices, 20, 1, 1);
        Assert.Equal(3, matrix.EntryCount);
        Assert.Equal(2, matrix.NonzeroCount);
        Assert.Equal(0.1, matrix.Density, 12);
        Assert.Equal([CcsEntry.Pack(0, 15), CcsEntry.Pack(5, 1), CcsEntry.Pack(6, 1)], matrix.Slices[0].Entries);
    }

    [Fact]
    public void RepartitionKeepsTheMatrixAndEqualsADirectEncoding()
    {
        var random = new Random(3);
        byte[] indices = RandomIndices(random, 45 * 13, 0.15);
        CcsMatrix original = CcsMatrix.Encode(indices, 45, 13, 3);
        Assert.Same(original, original.Repartition(3));
        foreach (int peCount in new[] { 1, 2, 4, 5, 8, 45, 64 })
        {
            CcsMatrix moved = original.Repartition(peCount);
            CcsMatrix direct = CcsMatrix.Encode(indices, 45, 13, peCount);
            Assert.Equal(peCount, moved.PeCount);
            Assert.Null(moved.Validate());
            Assert.Equal(indices, moved.DecodeIndices());
            for (int pe = 0; pe < peCount; pe++)
            {
                Assert.Equal(direct.Slices[pe].Entries, moved.Slices[pe].Entries);
                Assert.Equal(direct.Slices[pe].Pointers, moved.Slices[pe].Pointers);
            }

            Assert.Equal(indices, moved.Repartition(3).DecodeIndices());
        }
    }

    [Fact]
    public void SliceRowsIsThoseRowsOfTheMatrixOverTheSamePes()
    {
        var random = new Random(5);
        byte[] indices = RandomIndices(random, 45 * 13, 0.15);
        CcsMatrix original = CcsMatrix.Encode(indices, 45, 13, 4);
        Assert.Same(original, original.SliceRows(0, 45));
        foreach ((int first, int count) in new[] { (0, 1), (0, 20), (7, 9), (44, 1), (30, 15) })
        {
            CcsMatrix rows = original.SliceRows(first, count);
            Assert.Equal((count, 13, 4), (rows.Rows, rows.Cols, rows.PeCount));
            Assert.Null(rows.Validate());
            Assert.Equal(indices.AsSpan(first * 13, count * 13).ToArray(), rows.DecodeIndices());
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => original.SliceRows(40, 6));
        Assert.Throws<ArgumentOutOfRangeException>(() => original.SliceRows(-1, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => original.SliceRows(3, 0));
    }

    [Fact]
    public void EncodeRejectsBadInput()
    {
        Assert.Throws<ArgumentException>(() => CcsMatrix.Encode(new byte[5], 2, 3, 1));
        var tooWide = new byte[6];
        tooWide[4] = 16;
        ArgumentException e = Assert.Throws<ArgumentException>(() => CcsMatrix.Encode(tooWide, 2, 3, 1));
        Assert.Contains("row 1, column 1", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => CcsMatrix.Encode(new byte[6], 2, 3, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => CcsMatrix.Encode([], 0, 3, 1));
    }

    [Fact]
    public void ValidateAcceptsEmptyColumnsAndPesWithoutRows()
    {
        CcsMatrix matrix = CcsMatrix.Encode(new byte[2 * 4], 2, 4, 5);
        Assert.Null(matrix.Validate());
        Assert.Equal(0, matrix.EntryCount);
        Assert.Equal(new byte[8], matrix.DecodeIndices());
    }

    [Fact]
    public void ValidateReportsAWrongPointerCount()
    {
        CcsMatrix matrix = Mutate(slice => slice with { Pointers = slice.Pointers[..^1] });
        Assert.Contains("column pointers", matrix.Validate(), StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateReportsAFinalPointerThatMissesTheEntryCount()
    {
        CcsMatrix matrix = Mutate(slice => slice with { Entries = [.. slice.Entries, CcsEntry.Pack(1, 0)] });
        Assert.Contains("final pointer", matrix.Validate(), StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateReportsDecreasingPointers()
    {
        // Pointers [0, 2, 1, 3] on three entries: column 1 would run backwards.
        CcsMatrix matrix = Custom([CcsEntry.Pack(1, 0), CcsEntry.Pack(1, 0), CcsEntry.Pack(1, 0)], [0, 2, 1, 3]);
        Assert.Contains("decrease", matrix.Validate(), StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateReportsAnEntryBeyondThePesRows()
    {
        // The PE owns 4 rows; a zero run of 4 puts the entry on local row 4.
        CcsMatrix matrix = Custom([CcsEntry.Pack(1, 4)], [0, 1, 1, 1]);
        Assert.Contains("runs to local row 4", matrix.Validate(), StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(matrix.DecodeIndices);
    }

    [Fact]
    public void ValidateReportsAFirstPointerOtherThanZero()
    {
        // Entry 0 would belong to no column: the decoder refuses this slice, so Validate must too.
        CcsMatrix matrix = Custom([CcsEntry.Pack(1, 0), CcsEntry.Pack(2, 0)], [1, 2, 2, 2]);
        Assert.Throws<InvalidDataException>(matrix.DecodeIndices);
        Assert.Equal("PE 0: first pointer is 1, expected 0", matrix.Validate());
    }

    [Fact]
    public void ValidateReportsAPointerPastTheEntriesInsteadOfThrowing()
    {
        // Column 0 claims 5 entries of 2; the final pointer is right, so only the middle pointer is wrong.
        CcsMatrix matrix = Custom([CcsEntry.Pack(1, 0), CcsEntry.Pack(2, 0)], [0, 5, 5, 2]);
        Assert.Equal("PE 0: column 0 ends at entry 5, past the 2 entries", matrix.Validate());
    }

    private static CcsMatrix Custom(byte[] entries, int[] pointers) =>
        new(8, 3, [new CcsSlice(entries, pointers), new CcsSlice([], [0, 0, 0, 0])]);

    private static CcsMatrix Mutate(Func<CcsSlice, CcsSlice> change)
    {
        var random = new Random(4);
        CcsMatrix good = CcsMatrix.Encode(RandomIndices(random, 12 * 5, 0.4), 12, 5, 3);
        Assert.Null(good.Validate());
        CcsSlice[] slices = [.. good.Slices];
        slices[1] = change(slices[1]);
        return new CcsMatrix(12, 5, slices);
    }

    private static byte[] RandomIndices(Random random, int count, double density)
    {
        var indices = new byte[count];
        for (int i = 0; i < count; i++)
        {
            indices[i] = random.NextDouble() < density ? (byte)random.Next(1, 16) : (byte)0;
        }

        return indices;
    }
}
