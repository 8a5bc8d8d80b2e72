namespace CoDesign.Kernels.Tests;

/// <summary>Structural facts every encoded CCS slice must satisfy, checked against the specification.</summary>
public static class CcsInvariants
{
    /// <summary>Asserts the invariants; returns normally when they hold.</summary>
    public static void Check(IndexMatrix m, Slice[] slices)
    {
        Assert.Equal(m.PeCount, slices.Length);
        long allNonzeros = 0;
        for (int pe = 0; pe < slices.Length; pe++)
        {
            Slice slice = slices[pe];
            Assert.Equal(m.Cols + 1, slice.Pointers.Length);
            Assert.Equal(0, slice.Pointers[0]);
            Assert.Equal(slice.Entries.Length, slice.Pointers[m.Cols]);
            for (int j = 0; j < m.Cols; j++)
            {
                List<(int V, int Z)> expected = TestMatrices.ReferenceColumn(m, pe, j);
                int begin = slice.Pointers[j];
                int end = slice.Pointers[j + 1];
                Assert.True(end >= begin, $"PE {pe} column {j}: pointers decrease");

                // p[j+1] - p[j] is the number of entries of column j, padding included.
                Assert.Equal(expected.Count, end - begin);
                var actual = new List<(int V, int Z)>();
                for (int e = begin; e < end; e++)
                {
                    actual.Add((CcsEntry.CodebookIndex(slice.Entries[e]), CcsEntry.ZeroRun(slice.Entries[e])));
                }

                Assert.Equal(expected, actual);

                // Closed form: one entry per nonzero plus floor(run / 16) padding entries per run; runs
                // counted over this PE's rows only; trailing zeros cost nothing.
                int nonzeros = 0;
                int padding = 0;
                int run = 0;
                for (int row = pe; row < m.Rows; row += m.PeCount)
                {
                    if (m[row, j] == 0)
                    {
                        run++;
                    }
                    else
                    {
                        nonzeros++;
                        padding += run / 16;
                        run = 0;
                    }
                }

                Assert.Equal(nonzeros + padding, end - begin);
                allNonzeros += nonzeros;
                if (end > begin)
                {
                    Assert.NotEqual(0, CcsEntry.CodebookIndex(slice.Entries[end - 1]));
                }

                int localRow = -1;
                for (int e = begin; e < end; e++)
                {
                    byte entry = slice.Entries[e];
                    if (CcsEntry.CodebookIndex(entry) == 0)
                    {
                        Assert.Equal(CcsEntry.MaxZeroRun, CcsEntry.ZeroRun(entry));
                    }

                    localRow += CcsEntry.ZeroRun(entry) + 1;
                }

                Assert.True(localRow < slice.LocalRows, $"PE {pe} column {j} runs past its {slice.LocalRows} rows");
            }
        }

        Assert.Equal(m.Indices.Count(v => v != 0), allNonzeros);
    }
}
