namespace CoDesign.Kernels.Tests;

/// <summary>A row-major matrix of 4-bit codebook indices (0 = zero weight) and the PE count to split it over.</summary>
public sealed record IndexMatrix(int Rows, int Cols, int PeCount, byte[] Indices)
{
    public byte this[int row, int col] => Indices[(row * Cols) + col];

    public override string ToString()
    {
        var text = new System.Text.StringBuilder();
        text.Append($"{Rows}x{Cols} over {PeCount} PEs:");
        for (int i = 0; i < Rows; i++)
        {
            text.Append(i == 0 ? " [" : " / [");
            text.AppendJoin(',', Indices.AsSpan(i * Cols, Cols).ToArray());
            text.Append(']');
        }

        return text.ToString();
    }
}

/// <summary>One PE's CCS slice as the kernels produce it.</summary>
public sealed record Slice(byte[] Entries, int[] Pointers, int LocalRows);

/// <summary>Matrix generators and small helpers shared by the kernel tests.</summary>
public static class TestMatrices
{
    /// <summary>A random index matrix in which each element is nonzero with probability <paramref name="density"/>.</summary>
    public static IndexMatrix Random(Random random, int rows, int cols, int peCount, double density)
    {
        var indices = new byte[rows * cols];
        for (int i = 0; i < indices.Length; i++)
        {
            indices[i] = random.NextDouble() < density ? (byte)random.Next(1, 16) : (byte)0;
        }

        return new IndexMatrix(rows, cols, peCount, indices);
    }

    /// <summary>
    /// A single-column matrix whose PE-0 slice has a zero run of exactly <paramref name="run"/> before one nonzero
    /// (the rows of the other PEs are nonzero, so the run is counted in PE-local rows).
    /// </summary>
    public static IndexMatrix ColumnWithLocalRun(int run, int peCount)
    {
        int localRows = run + 1;
        int rows = ((localRows - 1) * peCount) + 1;
        var indices = new byte[rows];
        for (int i = 0; i < rows; i++)
        {
            indices[i] = i % peCount == 0 ? (byte)0 : (byte)(1 + (i % 15));
        }

        indices[rows - 1] = 9; // the last row belongs to PE 0 and ends its run
        return new IndexMatrix(rows, 1, peCount, indices);
    }

    /// <summary>Encodes every PE's slice with the kernel encoder (count pass, then fill pass).</summary>
    public static Slice[] EncodeAll(IndexMatrix m)
    {
        var slices = new Slice[m.PeCount];
        for (int pe = 0; pe < m.PeCount; pe++)
        {
            int count = CcsEncoder.CountSliceEntries(m.Indices, m.Rows, m.Cols, m.PeCount, pe);
            var entries = new byte[count];
            var pointers = new int[m.Cols + 1];
            int written = CcsEncoder.EncodeSlice(m.Indices, m.Rows, m.Cols, m.PeCount, pe, entries, pointers);
            Assert.Equal(count, written);
            slices[pe] = new Slice(entries, pointers, CcsEncoder.LocalRowCount(m.Rows, m.PeCount, pe));
        }

        return slices;
    }

    /// <summary>Decodes every slice into one index matrix; fails the test when a slice is rejected.</summary>
    public static byte[] DecodeAll(IndexMatrix m, Slice[] slices)
    {
        var decoded = new byte[m.Rows * m.Cols];
        decoded.AsSpan().Fill(0xEE);
        for (int pe = 0; pe < slices.Length; pe++)
        {
            Assert.True(CcsDecoder.DecodeSlice(slices[pe].Entries, slices[pe].Pointers, m.Rows, m.Cols, m.PeCount, pe, decoded), $"PE {pe} slice rejected");
        }

        return decoded;
    }

    /// <summary>
    /// The CCS encoding of one PE-local column written straight from the specification (seed 002), as
    /// (v, z) pairs: a zero run over 15 is broken by (0, 15) entries of 16 rows each; trailing zeros are not stored.
    /// </summary>
    public static List<(int V, int Z)> ReferenceColumn(IndexMatrix m, int pe, int col)
    {
        var result = new List<(int V, int Z)>();
        int run = 0;
        for (int row = pe; row < m.Rows; row += m.PeCount)
        {
            int v = m[row, col];
            if (v == 0)
            {
                run++;
                continue;
            }

            for (; run >= 16; run -= 16)
            {
                result.Add((0, 15));
            }

            result.Add((v, run));
            run = 0;
        }

        return result;
    }

    /// <summary>A codebook with entry 0 = 0 and 15 distinct nonzero signed 16-bit values.</summary>
    public static short[] RandomCodebook(Random random)
    {
        var codebook = new short[CcsEntry.CodebookSize];
        var used = new HashSet<short> { 0 };
        for (int c = 1; c < codebook.Length; c++)
        {
            short value;
            do
            {
                value = (short)random.Next(short.MinValue, short.MaxValue + 1);
            }
            while (!used.Add(value));
            codebook[c] = value;
        }

        return codebook;
    }
}
