using System.Numerics;
using CoDesign.Kernels;
using MathNet.Numerics.LinearAlgebra.Double;
using MathNet.Numerics.LinearAlgebra.Storage;
using SimdVector = System.Numerics.Vector;

namespace CoDesign.Benchmarks;

/// <summary>
/// One sparse layer in every representation the benchmarks compare: our CCS slices (4-bit indices into a
/// 16-entry codebook, rows interleaved over PEs), MathNet's CSR matrix of doubles, and a dense row-major
/// matrix of 16-bit weights. All hold the SAME matrix; <see cref="Verify"/> proves the products agree.
/// </summary>
public sealed class SpmvWorkload
{
    private readonly byte[][] _entries;
    private readonly int[][] _pointers;
    private readonly int[][] _localAcc;
    private readonly short[] _codebook;
    private readonly byte[] _x;
    private readonly short[] _x16;
    private readonly short[] _denseWeights;
    private readonly int[] _y;
    private readonly SparseMatrix _mathNetMatrix;
    private readonly DenseVector _mathNetX;
    private readonly DenseVector _mathNetY;
    private readonly Action<int> _runPe;

    /// <summary>
    /// A <paramref name="rows"/> x <paramref name="cols"/> matrix whose elements are nonzero with probability
    /// <paramref name="density"/> (uniform over 15 distinct nonzero codebook values), and activations of which
    /// a random half are zero and the rest uniform in 1..255.
    /// </summary>
    public SpmvWorkload(int rows, int cols, double density, int peCount, int seed)
    {
        Rows = rows;
        Cols = cols;
        Density = density;
        PeCount = peCount;
        var random = new Random(seed);

        // 15 distinct nonzero weights of 13 bits (a calibrated layer's range), index 0 = zero.
        _codebook = new short[CcsEntry.CodebookSize];
        var used = new HashSet<short> { 0 };
        for (int c = 1; c < _codebook.Length; c++)
        {
            short value;
            do
            {
                value = (short)random.Next(-4096, 4096);
            }
            while (!used.Add(value));
            _codebook[c] = value;
        }

        var indices = new byte[rows * cols];
        _denseWeights = new short[rows * cols];
        for (int i = 0; i < indices.Length; i++)
        {
            if (random.NextDouble() < density)
            {
                indices[i] = (byte)random.Next(1, 16);
                _denseWeights[i] = _codebook[indices[i]];
                Nonzeros++;
            }
        }

        // Exactly half the activations are zero, at random positions.
        _x = new byte[cols];
        _x16 = new short[cols];
        int[] order = Enumerable.Range(0, cols).OrderBy(_ => random.Next()).ToArray();
        for (int k = cols / 2; k < cols; k++)
        {
            _x[order[k]] = (byte)random.Next(1, 256);
        }

        for (int j = 0; j < cols; j++)
        {
            _x16[j] = _x[j];
        }

        _entries = new byte[peCount][];
        _pointers = new int[peCount][];
        _localAcc = new int[peCount][];
        for (int pe = 0; pe < peCount; pe++)
        {
            _entries[pe] = new byte[CcsEncoder.CountSliceEntries(indices, rows, cols, peCount, pe)];
            _pointers[pe] = new int[cols + 1];
            CcsEncoder.EncodeSlice(indices, rows, cols, peCount, pe, _entries[pe], _pointers[pe]);
            _localAcc[pe] = new int[CcsEncoder.LocalRowCount(rows, peCount, pe)];
            StoredEntries += _entries[pe].Length;
            EntriesPerRun += SparseMatVec.CountWork(_pointers[pe], _x);
        }

        _y = new int[rows];
        _runPe = RunPe;

        // MathNet: the same nonzeros in CSR, as doubles.
        var rowPointers = new int[rows + 1];
        var columnIndices = new int[Nonzeros];
        var values = new double[Nonzeros];
        int n = 0;
        for (int i = 0; i < rows; i++)
        {
            rowPointers[i] = n;
            for (int j = 0; j < cols; j++)
            {
                short w = _denseWeights[(i * cols) + j];
                if (w != 0)
                {
                    columnIndices[n] = j;
                    values[n] = w;
                    n++;
                }
            }
        }

        rowPointers[rows] = n;
        _mathNetMatrix = new SparseMatrix(SparseCompressedRowMatrixStorage<double>.OfCompressedSparseRowFormat(rows, cols, n, rowPointers, columnIndices, values));
        _mathNetX = DenseVector.OfArray(_x.Select(v => (double)v).ToArray());
        _mathNetY = new DenseVector(rows);
    }

    public int Rows { get; }

    public int Cols { get; }

    public double Density { get; }

    public int PeCount { get; }

    /// <summary>True nonzeros of the matrix.</summary>
    public long Nonzeros { get; }

    /// <summary>CCS entries over all PEs, padding included.</summary>
    public long StoredEntries { get; }

    /// <summary>Entries one product consumes (the columns of nonzero activations only).</summary>
    public long EntriesPerRun { get; }

    /// <summary>The result of the last CCS or dense product.</summary>
    public ReadOnlySpan<int> Result => _y;

    /// <summary>Our kernel, PE after PE on one thread: clear, multiply-accumulate, scatter.</summary>
    public void CcsSingleThread()
    {
        for (int pe = 0; pe < PeCount; pe++)
        {
            RunPe(pe);
        }
    }

    /// <summary>Our kernel with the PEs run in parallel, as the CPU path does.</summary>
    public void CcsParallel() => Parallel.For(0, PeCount, _runPe);

    /// <summary>MathNet's CSR sparse matrix times a dense vector, into a preallocated result.</summary>
    public void MathNet() => _mathNetMatrix.Multiply(_mathNetX, _mathNetY);

    /// <summary>
    /// The CSR product MathNet performs, written as a plain loop over MathNet's own storage arrays: no virtual
    /// vector indexer, so its speed does not depend on whether the JIT devirtualized MathNet's loop. A
    /// conservative second anchor for a double-precision CSR kernel.
    /// </summary>
    public void CsrLoop()
    {
        var storage = (SparseCompressedRowMatrixStorage<double>)_mathNetMatrix.Storage;
        int[] rowPointers = storage.RowPointers;
        int[] columnIndices = storage.ColumnIndices;
        double[] values = storage.Values;
        double[] x = _mathNetX.Values;
        double[] y = _mathNetY.Values;
        for (int row = 0; row < Rows; row++)
        {
            double sum = 0;
            for (int k = rowPointers[row]; k < rowPointers[row + 1]; k++)
            {
                sum += values[k] * x[columnIndices[k]];
            }

            y[row] = sum;
        }
    }

    /// <summary>Dense product, 16-bit weights times 8-bit activations, plain loops.</summary>
    public void DenseScalar()
    {
        short[] w = _denseWeights;
        byte[] x = _x;
        int cols = Cols;
        for (int i = 0; i < Rows; i++)
        {
            ReadOnlySpan<short> row = w.AsSpan(i * cols, cols);
            int sum = 0;
            for (int j = 0; j < row.Length; j++)
            {
                sum += row[j] * x[j];
            }

            _y[i] = sum;
        }
    }

    /// <summary>Dense product with System.Numerics vectors: widen 16-bit lanes to 32 bits, multiply, add.</summary>
    public void DenseSimd()
    {
        int width = Vector<short>.Count;
        int cols = Cols;
        ReadOnlySpan<short> x = _x16;
        for (int i = 0; i < Rows; i++)
        {
            ReadOnlySpan<short> row = _denseWeights.AsSpan(i * cols, cols);
            Vector<int> acc = Vector<int>.Zero;
            int j = 0;
            for (; j <= cols - width; j += width)
            {
                SimdVector.Widen(new Vector<short>(row[j..]), out Vector<int> wLow, out Vector<int> wHigh);
                SimdVector.Widen(new Vector<short>(x[j..]), out Vector<int> xLow, out Vector<int> xHigh);
                acc += (wLow * xLow) + (wHigh * xHigh);
            }

            int sum = SimdVector.Sum(acc);
            for (; j < cols; j++)
            {
                sum += row[j] * x[j];
            }

            _y[i] = sum;
        }
    }

    /// <summary>
    /// Runs every variant once and compares it with an exact 64-bit product computed here; returns null when
    /// all agree, else what differs. Benchmarks call this first so they never time a wrong computation.
    /// </summary>
    public string? Verify()
    {
        var exact = new long[Rows];
        for (int i = 0; i < Rows; i++)
        {
            long sum = 0;
            for (int j = 0; j < Cols; j++)
            {
                sum += (long)_denseWeights[(i * Cols) + j] * _x[j];
            }

            exact[i] = sum;
            if (sum is < int.MinValue or > int.MaxValue)
            {
                return $"row {i}: the exact sum {sum} overflows 32 bits; the workload is out of the comparable range";
            }
        }

        foreach ((string name, Action run) in new (string, Action)[]
        {
            ("CCS single thread", CcsSingleThread),
            ("CCS parallel", CcsParallel),
            ("dense scalar", DenseScalar),
            ("dense SIMD", DenseSimd),
        })
        {
            _y.AsSpan().Fill(int.MinValue);
            run();
            for (int i = 0; i < Rows; i++)
            {
                if (_y[i] != exact[i])
                {
                    return $"{name}: row {i} is {_y[i]}, expected {exact[i]}";
                }
            }
        }

        foreach ((string name, Action run) in new (string, Action)[] { ("MathNet", MathNet), ("CSR loop", CsrLoop) })
        {
            _mathNetY.Clear();
            run();
            for (int i = 0; i < Rows; i++)
            {
                if (_mathNetY[i] != exact[i])
                {
                    return $"{name}: row {i} is {_mathNetY[i]}, expected {exact[i]}";
                }
            }
        }

        return null;
    }

    private void RunPe(int pe)
    {
        int[] acc = _localAcc[pe];
        Array.Clear(acc);
        SparseMatVec.MultiplyAccumulate(_entries[pe], _pointers[pe], _codebook, _x, acc);
        SparseMatVec.ScatterRows(acc, PeCount, pe, _y);
    }
}
