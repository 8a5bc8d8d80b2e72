using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Numerics;
using System.Runtime.Intrinsics;

namespace CoDesign.Runtime.Devices.Cpu;

/// <summary>
/// A committed model prepared for the host's cores: its layers re-laid out row-major
/// (<see cref="CpuLayer"/>), a batch cut into blocks of <see cref="CpuRowKernels.Lanes"/> images that
/// run through every layer on one core each, the blocks spread over the cores. A batch of a single
/// block spreads each large layer's rows over the cores instead, and a batch of fewer than
/// <see cref="ImageByImageBelow"/> images runs image by image (<see cref="CpuLookupRows"/> or
/// <see cref="CpuImageKernel"/>), its large layers' rows spread over the cores.
/// </summary>
internal sealed class CpuModel : IEngineModel
{
    /// <summary>Batches under this many images run image by image: a block would be mostly empty lanes.</summary>
    private const int ImageByImageBelow = 4;

    /// <summary>A lone block splits a layer's rows over the cores when the layer has at least this many entries.</summary>
    private const int RowSplitEntries = 64 * 1024;

    private readonly CpuLayer[] _layers;
    private readonly CpuLookupRows[]? _lookups;
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

        // A lone image looks its activations up with VBMI on the AVX-512 path, else sums runs of equal weights.
        _lookups = path == CpuKernelPath.Avx512 && CpuLookupRows.IsSupported ? [.. _layers.Select(l => new CpuLookupRows(l))] : null;
    }

    /// <inheritdoc />
    public EngineWork Run(ReadOnlySpan<byte> inputs, int count, Span<int> outputs)
    {
        long start = Stopwatch.GetTimestamp();
        int blocks = (count + CpuRowKernels.Lanes - 1) / CpuRowKernels.Lanes;
        var work = new WorkCounts();
        if (count < ImageByImageBelow)
        {
            Block block = Rent();
            for (int i = 0; i < count; i++)
            {
                RunImage(block, inputs.Slice(i * _inputSize, _inputSize), outputs.Slice(i * _outputSize, _outputSize));
            }

            work.Add(block.Work);
            _blocks.Add(block);
        }
        else if (blocks == 1)
        {
            Block block = Rent();
            RunBlock(block, inputs, count, outputs, 0, splitRows: _parallel.MaxDegreeOfParallelism != 1);
            work.Add(block.Work);
            _blocks.Add(block);
        }
        else if (blocks > 1)
        {
            // The spans cannot enter the lambda: the batch goes through pooled arrays (a copy is a few percent of
            // the work; a fresh 8 MB array per batch would cost page faults and collections).
            byte[] inputCopy = ArrayPool<byte>.Shared.Rent(inputs.Length);
            int[] outputCopy = ArrayPool<int>.Shared.Rent(count * _outputSize);
            inputs.CopyTo(inputCopy);
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
            outputCopy.AsSpan(0, count * _outputSize).CopyTo(outputs);
            ArrayPool<byte>.Shared.Return(inputCopy);
            ArrayPool<int>.Shared.Return(outputCopy);
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

        return new Block(_widest);
    }

    /// <summary>Runs images <c>16 b</c> .. of the batch through every layer; lanes past the batch's end carry zeros and are dropped.</summary>
    private void RunBlock(Block block, ReadOnlySpan<byte> inputs, int count, Span<int> outputs, int b, bool splitRows)
    {
        const int lanes = CpuRowKernels.Lanes;
        int first = b * lanes;
        int valid = Math.Min(lanes, count - first);
        int[] x = block.X;
        int[] y = block.Y;
        CpuTranspose.Images(_path, inputs.Slice(first * _inputSize, valid * _inputSize), valid, _inputSize, x);
        foreach (CpuLayer layer in _layers)
        {
            block.Work.Count(layer, x, valid);
            if (splitRows && layer.EntryCount >= RowSplitEntries)
            {
                CpuLayer l = layer;
                int chunk = RowChunk(l);
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

    /// <summary>Runs one image through every layer with <see cref="CpuImageKernel"/>, a large layer's rows spread over the cores.</summary>
    private void RunImage(Block block, ReadOnlySpan<byte> image, Span<int> outputs)
    {
        byte[] x = block.ImageX;
        byte[] y = block.ImageY;
        int[] raw = block.ImageRaw;
        image.CopyTo(x);
        for (int l = 0; l < _layers.Length; l++)
        {
            CpuLayer layer = _layers[l];
            CpuLookupRows? lookup = _lookups?[l];
            block.Work.Count(layer, x);
            void Rows(int begin, int end)
            {
                if (lookup is not null)
                {
                    lookup.Multiply(x, raw, y, begin, end);
                }
                else
                {
                    CpuImageKernel.Multiply(layer, x, raw, y, begin, end);
                }
            }

            if (_parallel.MaxDegreeOfParallelism != 1 && layer.EntryCount >= RowSplitEntries)
            {
                int chunk = RowChunk(layer);
                Parallel.For(0, (layer.Rows + chunk - 1) / chunk, _parallel, c => Rows(c * chunk, Math.Min(layer.Rows, (c + 1) * chunk)));
            }
            else
            {
                Rows(0, layer.Rows);
            }

            (x, y) = (y, x);
        }

        raw.AsSpan(0, _outputSize).CopyTo(outputs);
    }

    /// <summary>Rows per parallel task when a layer's rows are spread over the cores: four tasks per core, for balance.</summary>
    private int RowChunk(CpuLayer layer) => Math.Max(1, layer.Rows / (4 * (_parallel.MaxDegreeOfParallelism > 0 ? _parallel.MaxDegreeOfParallelism : Environment.ProcessorCount)));

    /// <summary>One core's working memory: activations in and out of a layer, a block's worth of each.</summary>
    private sealed class Block(int widest)
    {
        public int[] X { get; } = new int[widest * CpuRowKernels.Lanes];

        public int[] Y { get; } = new int[widest * CpuRowKernels.Lanes];

        // Padded to whole lookup windows; bytes past a layer's columns are never picked with a nonzero weight.
        public byte[] ImageX { get; } = new byte[CpuLookupRows.PaddedLength(widest)];

        public byte[] ImageY { get; } = new byte[CpuLookupRows.PaddedLength(widest)];

        public int[] ImageRaw { get; } = new int[widest];

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

        /// <summary>Counts the nonzero inputs of one image's activations <paramref name="x"/>.</summary>
        public void Count(CpuLayer layer, byte[] x)
        {
            for (int c = 0; c < layer.Cols; c++)
            {
                if (x[c] != 0)
                {
                    Broadcasts++;
                    Entries += layer.ColumnEntries[c];
                    ShiftAddSteps += layer.ColumnSteps[c];
                }
            }
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
