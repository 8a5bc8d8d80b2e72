using System.Collections.Concurrent;
using System.Diagnostics;
using System.Numerics;
using System.Runtime.Intrinsics;

namespace CoDesign.Runtime.Devices.Cpu;

/// <summary>
/// A committed model prepared for the host's cores: its layers re-laid out row-major
/// (<see cref="CpuLayer"/>), a batch cut into blocks of <see cref="CpuRowKernels.Lanes"/> images that
/// run through every layer on one core each, the blocks spread over the cores. A batch of a single
/// block spreads each large layer's rows over the cores instead.
/// </summary>
internal sealed class CpuModel : IEngineModel
{
    /// <summary>A lone block splits a layer's rows over the cores when the layer has at least this many entries.</summary>
    private const int RowSplitEntries = 64 * 1024;

    private readonly CpuLayer[] _layers;
    private readonly CpuKernelPath _path;
    private readonly ParallelOptions _parallel;
    private readonly int _inputSize;
    private readonly int _outputSize;
    private readonly int _widest;
    private readonly ConcurrentBag<Block> _blocks = [];

    public CpuModel(CommittedModel model, CpuKernelPath path, int threads)
    {
        _layers = [.. model.Layers.Select(CpuLayer.From)];
        _path = path;
        _parallel = new ParallelOptions { MaxDegreeOfParallelism = threads };
        _inputSize = model.Header.InputSize;
        _outputSize = model.Header.OutputSize;
        _widest = Math.Max(_inputSize, _layers.Max(l => l.Rows));
    }

    /// <inheritdoc />
    public EngineWork Run(ReadOnlySpan<byte> inputs, int count, Span<int> outputs)
    {
        long start = Stopwatch.GetTimestamp();
        int blocks = (count + CpuRowKernels.Lanes - 1) / CpuRowKernels.Lanes;
        var work = new WorkCounts();
        if (blocks == 1)
        {
            Block block = Rent();
            RunBlock(block, inputs, count, outputs, 0, splitRows: _parallel.MaxDegreeOfParallelism != 1);
            work.Add(block.Work);
            _blocks.Add(block);
        }
        else if (blocks > 1)
        {
            // The spans cannot enter the lambda; the batch is copied once (a few percent of a block's work).
            byte[] inputCopy = inputs.ToArray();
            var outputCopy = new int[count * _outputSize];
            var gate = new object();
            Parallel.For(0, blocks, _parallel, Rent, (b, _, block) =>
            {
                RunBlock(block, inputCopy, count, outputCopy, b, splitRows: false);
                return block;
            }, block =>
            {
                lock (gate)
                {
                    work.Add(block.Work);
                }

                _blocks.Add(block);
            });
            outputCopy.CopyTo(outputs);
        }

        long nanoseconds = (long)Stopwatch.GetElapsedTime(start).TotalNanoseconds;
        return new EngineWork(Math.Max(1, nanoseconds), work.Entries, work.ShiftAddSteps, work.Broadcasts);
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private Block Rent()
    {
        if (_blocks.TryTake(out Block? block))
        {
            block.Work = default;
            return block;
        }

        return new Block(_widest * CpuRowKernels.Lanes);
    }

    /// <summary>Runs images <c>16 b</c> .. of the batch through every layer; lanes past the batch's end carry zeros and are dropped.</summary>
    private void RunBlock(Block block, ReadOnlySpan<byte> inputs, int count, Span<int> outputs, int b, bool splitRows)
    {
        const int lanes = CpuRowKernels.Lanes;
        int first = b * lanes;
        int valid = Math.Min(lanes, count - first);
        int[] x = block.X;
        int[] y = block.Y;
        Transpose(inputs.Slice(first * _inputSize, valid * _inputSize), valid, x);
        foreach (CpuLayer layer in _layers)
        {
            block.Work.Count(layer, x, valid);
            if (splitRows && layer.EntryCount >= RowSplitEntries)
            {
                CpuLayer l = layer;
                int chunk = Math.Max(1, l.Rows / (_parallel.MaxDegreeOfParallelism is > 0 and int n ? n * 4 : Environment.ProcessorCount * 4));
                Parallel.For(0, (l.Rows + chunk - 1) / chunk, _parallel, c =>
                    CpuRowKernels.Multiply(_path, l, x, y, c * chunk, Math.Min(l.Rows, (c + 1) * chunk)));
            }
            else
            {
                CpuRowKernels.Multiply(_path, layer, x, y, 0, layer.Rows);
            }

            (x, y) = (y, x);
        }

        // x now holds the last layer's raw sums, row by row, an image per lane.
        for (int i = 0; i < valid; i++)
        {
            Span<int> image = outputs.Slice((first + i) * _outputSize, _outputSize);
            for (int r = 0; r < _outputSize; r++)
            {
                image[r] = x[(r * lanes) + i];
            }
        }
    }

    /// <summary>Writes <paramref name="valid"/> images of the input size into <paramref name="x"/>, a column of lanes per pixel.</summary>
    private void Transpose(ReadOnlySpan<byte> images, int valid, int[] x)
    {
        const int lanes = CpuRowKernels.Lanes;
        if (valid < lanes)
        {
            x.AsSpan(0, _inputSize * lanes).Clear();
        }

        for (int i = 0; i < valid; i++)
        {
            ReadOnlySpan<byte> image = images.Slice(i * _inputSize, _inputSize);
            for (int c = 0; c < image.Length; c++)
            {
                x[(c * lanes) + i] = image[c];
            }
        }
    }

    /// <summary>One core's working memory: activations in and out of a layer, a block's worth of each.</summary>
    private sealed class Block(int length)
    {
        public int[] X { get; } = new int[length];

        public int[] Y { get; } = new int[length];

        public WorkCounts Work;
    }

    /// <summary>
    /// What the emulator would count for the same images (entries of every nonzero input's column,
    /// their shift-add steps, the nonzero inputs themselves), so the devices' reports compare.
    /// </summary>
    private struct WorkCounts
    {
        public long Entries;
        public long ShiftAddSteps;
        public long Broadcasts;

        public void Add(WorkCounts other)
        {
            Entries += other.Entries;
            ShiftAddSteps += other.ShiftAddSteps;
            Broadcasts += other.Broadcasts;
        }

        /// <summary>Counts the nonzero inputs among the first <paramref name="valid"/> lanes of each column of <paramref name="x"/>.</summary>
        public void Count(CpuLayer layer, int[] x, int valid)
        {
            const int lanes = CpuRowKernels.Lanes;
            uint mask = valid >= 32 ? uint.MaxValue : (1u << valid) - 1;
            for (int c = 0; c < layer.Cols; c++)
            {
                uint nonzero = (uint)Vector512.ExtractMostSignificantBits(Vector512.GreaterThan(Vector512.Create(x.AsSpan(c * lanes, lanes)), Vector512<int>.Zero));
                int n = BitOperations.PopCount(nonzero & mask);
                Broadcasts += n;
                Entries += n * layer.ColumnEntries[c];
                ShiftAddSteps += n * layer.ColumnSteps[c];
            }
        }
    }
}
