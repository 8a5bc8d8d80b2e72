namespace CoDesign.Kernels.Tests;

/// <summary>The CCS encoder and decoder (seed 002): worked example, interleaving, padding, round trips.</summary>
public sealed class CcsEncoderTests
{
    [Fact]
    public void WorkedExampleFromSeed002EncodesAsSpecified()
    {
        byte[] column = [0, 0, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3];
        Assert.Equal(23, column.Length);

        Assert.Equal(4, CcsEncoder.EncodeColumn(column, 0, 1, column.Length, []));
        var entries = new byte[4];
        Assert.Equal(4, CcsEncoder.EncodeColumn(column, 0, 1, column.Length, entries));

        Assert.Equal([1, 2, 0, 3], entries.Select(e => CcsEntry.CodebookIndex(e)));
        Assert.Equal([2, 0, 15, 2], entries.Select(e => CcsEntry.ZeroRun(e)));

        // The same column as a 23 x 1 matrix on one PE: one pointer pair around the four entries.
        var sliceEntries = new byte[CcsEncoder.CountSliceEntries(column, 23, 1, 1, 0)];
        var pointers = new int[2];
        Assert.Equal(4, CcsEncoder.EncodeSlice(column, 23, 1, 1, 0, sliceEntries, pointers));
        Assert.Equal(entries, sliceEntries);
        Assert.Equal([0, 4], pointers);

        var decoded = new byte[23];
        Assert.True(CcsDecoder.DecodeSlice(sliceEntries, pointers, 23, 1, 1, 0, decoded));
        Assert.Equal(column, decoded);
    }

    [Fact]
    public void EntryBytePacksIndexInLowNibbleAndRunInHighNibble()
    {
        Assert.Equal(0x2B, CcsEntry.Pack(0xB, 2));
        Assert.Equal(0xF0, CcsEntry.Pack(0, 15));
        for (int v = 0; v < 16; v++)
        {
            for (int z = 0; z < 16; z++)
            {
                byte entry = CcsEntry.Pack(v, z);
                Assert.Equal(v | (z << 4), entry);
                Assert.Equal(v, CcsEntry.CodebookIndex(entry));
                Assert.Equal(z, CcsEntry.ZeroRun(entry));
            }
        }
    }

    [Fact]
    public void RowsAreInterleavedOverPesAndRunsCountLocalRows()
    {
        // 5 x 2 over 2 PEs. PE 0 owns rows 0, 2, 4; PE 1 owns rows 1, 3.
        byte[] indices =
        [
            1, 0,
            0, 0,
            0, 0,
            2, 7,
            3, 0,
        ];
        var m = new IndexMatrix(5, 2, 2, indices);
        Slice[] slices = TestMatrices.EncodeAll(m);

        Assert.Equal(3, slices[0].LocalRows);
        Assert.Equal(2, slices[1].LocalRows);

        // PE 0, column 0 = [1, 0, 3] -> (1, z0), (3, z1); column 1 = [0, 0, 0] -> nothing.
        Assert.Equal([CcsEntry.Pack(1, 0), CcsEntry.Pack(3, 1)], slices[0].Entries);
        Assert.Equal([0, 2, 2], slices[0].Pointers);

        // PE 1, column 0 = [0, 2] -> (2, z1); column 1 = [0, 7] -> (7, z1).
        Assert.Equal([CcsEntry.Pack(2, 1), CcsEntry.Pack(7, 1)], slices[1].Entries);
        Assert.Equal([0, 1, 2], slices[1].Pointers);

        Assert.Equal(indices, TestMatrices.DecodeAll(m, slices));
    }

    [Theory]
    [InlineData(10, 1, 0, 10)]
    [InlineData(10, 3, 0, 4)]
    [InlineData(10, 3, 1, 3)]
    [InlineData(10, 3, 2, 3)]
    [InlineData(2, 4, 1, 1)]
    [InlineData(2, 4, 2, 0)]
    [InlineData(2, 4, 3, 0)]
    [InlineData(1, 1, 0, 1)]
    public void LocalRowCountCountsTheRowsAPeOwns(int rows, int peCount, int pe, int expected)
    {
        Assert.Equal(expected, CcsEncoder.LocalRowCount(rows, peCount, pe));
        int owned = 0;
        for (int i = 0; i < rows; i++)
        {
            owned += i % peCount == pe ? 1 : 0;
        }

        Assert.Equal(owned, CcsEncoder.LocalRowCount(rows, peCount, pe));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(14, 1)]
    [InlineData(15, 1)] // the longest run one entry expresses
    [InlineData(16, 2)] // one padding entry, then z = 0
    [InlineData(17, 2)]
    [InlineData(31, 2)] // one padding entry, then z = 15
    [InlineData(32, 3)] // two padding entries, then z = 0
    [InlineData(33, 3)]
    [InlineData(47, 3)]
    [InlineData(48, 4)]
    [InlineData(100, 7)]
    public void ZeroRunsAreBrokenByPaddingEntries(int run, int expectedEntries)
    {
        foreach (int peCount in new[] { 1, 3 })
        {
            IndexMatrix m = TestMatrices.ColumnWithLocalRun(run, peCount);
            Slice[] slices = TestMatrices.EncodeAll(m);
            byte[] pe0 = slices[0].Entries;
            Assert.Equal(expectedEntries, pe0.Length);
            Assert.Equal(run / 16, expectedEntries - 1);
            for (int k = 0; k < pe0.Length - 1; k++)
            {
                Assert.Equal(CcsEntry.Pack(0, 15), pe0[k]);
            }

            Assert.Equal(9, CcsEntry.CodebookIndex(pe0[^1]));
            Assert.Equal(run % 16, CcsEntry.ZeroRun(pe0[^1]));
            Assert.Equal(m.Indices, TestMatrices.DecodeAll(m, slices));
        }
    }

    [Fact]
    public void AllZeroMatrixHasNoEntriesAndAllPointersZero()
    {
        var m = new IndexMatrix(40, 7, 3, new byte[40 * 7]);
        foreach (Slice slice in TestMatrices.EncodeAll(m))
        {
            Assert.Empty(slice.Entries);
            Assert.All(slice.Pointers, p => Assert.Equal(0, p));
            Assert.Equal(8, slice.Pointers.Length);
        }

        Assert.Equal(m.Indices, TestMatrices.DecodeAll(m, TestMatrices.EncodeAll(m)));
    }

    [Fact]
    public void DenseMatrixHasOneEntryPerElementAndNoZeroRuns()
    {
        var random = new Random(11);
        var indices = new byte[13 * 9];
        for (int i = 0; i < indices.Length; i++)
        {
            indices[i] = (byte)random.Next(1, 16);
        }

        var m = new IndexMatrix(13, 9, 4, indices);
        Slice[] slices = TestMatrices.EncodeAll(m);
        Assert.Equal(indices.Length, slices.Sum(s => s.Entries.Length));
        for (int pe = 0; pe < 4; pe++)
        {
            Assert.All(slices[pe].Entries, e => Assert.Equal(0, CcsEntry.ZeroRun(e)));
            for (int j = 0; j < 9; j++)
            {
                Assert.Equal(slices[pe].LocalRows, slices[pe].Pointers[j + 1] - slices[pe].Pointers[j]);
            }
        }

        Assert.Equal(indices, TestMatrices.DecodeAll(m, slices));
    }

    [Fact]
    public void EmptyColumnsGetEqualConsecutivePointers()
    {
        // Columns 0, 2 and 4 are empty; columns 1 and 3 are not.
        var m = new IndexMatrix(4, 5, 1, [0, 1, 0, 0, 0, 0, 0, 0, 2, 0, 0, 3, 0, 0, 0, 0, 0, 0, 4, 0]);
        Slice slice = TestMatrices.EncodeAll(m)[0];
        Assert.Equal([0, 0, 2, 2, 4, 4], slice.Pointers);
        Assert.Equal([CcsEntry.Pack(1, 0), CcsEntry.Pack(3, 1), CcsEntry.Pack(2, 1), CcsEntry.Pack(4, 1)], slice.Entries);
        Assert.Equal(m.Indices, TestMatrices.DecodeAll(m, [slice]));
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(1, 50, 1)]
    [InlineData(1, 50, 4)] // one row, more PEs than rows
    [InlineData(60, 1, 1)]
    [InlineData(60, 1, 5)]
    [InlineData(3, 8, 8)] // more PEs than rows
    [InlineData(5, 5, 64)]
    [InlineData(200, 3, 2)]
    public void OddShapesRoundTrip(int rows, int cols, int peCount)
    {
        var random = new Random((rows * 1000) + (cols * 10) + peCount);
        foreach (double density in new[] { 0.0, 0.05, 0.5, 1.0 })
        {
            IndexMatrix m = TestMatrices.Random(random, rows, cols, peCount, density);
            Slice[] slices = TestMatrices.EncodeAll(m);
            CcsInvariants.Check(m, slices);
            Assert.Equal(m.Indices, TestMatrices.DecodeAll(m, slices));
            for (int pe = rows; pe < peCount; pe++)
            {
                Assert.Equal(0, slices[pe].LocalRows);
                Assert.Empty(slices[pe].Entries);
            }
        }
    }

    [Fact]
    public void RandomMatricesRoundTripAndMatchTheSpecification()
    {
        var random = new Random(2024);
        for (int trial = 0; trial < 300; trial++)
        {
            int rows = random.Next(1, 120);
            int cols = random.Next(1, 20);
            int peCount = random.Next(1, 10);
            double density = new[] { 0.01, 0.05, 0.1, 0.3, 0.7, 1.0 }[trial % 6];
            IndexMatrix m = TestMatrices.Random(random, rows, cols, peCount, density);
            Slice[] slices = TestMatrices.EncodeAll(m);
            CcsInvariants.Check(m, slices);
            Assert.Equal(m.Indices, TestMatrices.DecodeAll(m, slices));
        }
    }

    [Fact]
    public void EncodeColumnHonoursStartAndStride()
    {
        // Column 2 of a 4-column row-major matrix, every other row (a PE of two): elements 2, 10, 18, 26, 34.
        var source = new byte[40];
        source[10] = 5;
        source[34] = 6;
        source[11] = 15; // neighbours that must not be read
        source[9] = 15;
        var entries = new byte[2];
        Assert.Equal(2, CcsEncoder.EncodeColumn(source, 2, 8, 5, entries));
        Assert.Equal([CcsEntry.Pack(5, 1), CcsEntry.Pack(6, 2)], entries);
    }
}
