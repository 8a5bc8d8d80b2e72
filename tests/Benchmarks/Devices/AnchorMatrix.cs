using System.Globalization;
using CoDesign.Kernels;

namespace CoDesign.Benchmarks.Devices;

/// <summary>
/// The square matrix the SpMV anchors and our devices multiply: random 4-bit codebook indices at a given
/// density over 15 distinct nonzero 16-bit weights, and an activation vector with every element nonzero
/// (so EIE's zero skipping earns nothing and everyone does the same work).
/// </summary>
internal sealed class AnchorMatrix
{
    public AnchorMatrix(int size, double density, int seed = 2026)
    {
        Size = size;
        var random = new Random(seed);
        Codebook = new short[CcsEntry.CodebookSize];
        var used = new HashSet<short> { 0 };
        for (int c = 1; c < Codebook.Length; c++)
        {
            short value;
            do
            {
                value = (short)random.Next(-4096, 4096);
            }
            while (!used.Add(value));
            Codebook[c] = value;
        }

        Indices = new byte[size * size];
        for (int i = 0; i < Indices.Length; i++)
        {
            Indices[i] = random.NextDouble() < density ? (byte)random.Next(1, 16) : (byte)0;
        }

        X = new byte[size];
        for (int j = 0; j < X.Length; j++)
        {
            X[j] = (byte)random.Next(1, 256);
        }

        Nonzeros = Indices.LongCount(v => v != 0);
    }

    /// <summary>Rows and columns.</summary>
    public int Size { get; }

    /// <summary>Row-major codebook indices, 0 = zero weight.</summary>
    public byte[] Indices { get; }

    /// <summary>The 16 shared weights; index 0 is zero.</summary>
    public short[] Codebook { get; }

    /// <summary>The activations, all nonzero.</summary>
    public byte[] X { get; }

    /// <summary>Nonzero weights.</summary>
    public long Nonzeros { get; }

    /// <summary>Fraction of the matrix that is nonzero.</summary>
    public double Density => Nonzeros / ((double)Size * Size);

    /// <summary>
    /// Writes the matrix as CSR int32 arrays of its values (<c>indptr.bin</c>, <c>indices.bin</c>,
    /// <c>data.bin</c>), the vectors <paramref name="xs"/> (<c>x.bin</c>, int32, vector after vector) and
    /// our results <paramref name="ys"/> (<c>y.bin</c>), raw little-endian for numpy, and the size and the
    /// vector count in <c>shape</c>.
    /// </summary>
    public void WriteCsr(string folder, ReadOnlySpan<byte> xs, ReadOnlySpan<int> ys)
    {
        var rowPointers = new List<int> { 0 };
        var columns = new List<int>();
        var values = new List<int>();
        for (int r = 0; r < Size; r++)
        {
            for (int c = 0; c < Size; c++)
            {
                byte v = Indices[(r * Size) + c];
                if (v != 0)
                {
                    columns.Add(c);
                    values.Add(Codebook[v]);
                }
            }

            rowPointers.Add(columns.Count);
        }

        static void Write(string path, IEnumerable<int> data) => File.WriteAllBytes(path, [.. data.SelectMany(BitConverter.GetBytes)]);
        Write(Path.Combine(folder, "indptr.bin"), rowPointers);
        Write(Path.Combine(folder, "indices.bin"), columns);
        Write(Path.Combine(folder, "data.bin"), values);
        Write(Path.Combine(folder, "x.bin"), xs.ToArray().Select(v => (int)v));
        Write(Path.Combine(folder, "y.bin"), ys.ToArray());
        File.WriteAllText(Path.Combine(folder, "shape"), string.Create(CultureInfo.InvariantCulture, $"{Size} {xs.Length / Size}"));
    }
}
