using System.Diagnostics;
using CoDesign.Runtime.Devices;
using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Algorithms.ScanReduceOperations;
using ILGPU.Runtime;

namespace CoDesign.Gpu.Inference;

/// <summary>
/// A committed model prepared on the GPU: per layer, a view of its entries in the weight region (in
/// place), and its pointers, codebook and bias uploaded (pointers widened to 32 bits, as the kernel
/// takes them). A run uploads the batch, launches the SpMV and the result path layer by layer, and
/// downloads the last layer's outputs; the work counters are taken afterwards, outside the time.
/// </summary>
internal sealed class GpuModel : IEngineModel
{
    private readonly GpuEngine _engine;
    private readonly CommittedModel _model;
    private readonly PreparedLayer[] _layers;
    private readonly List<IDisposable> _owned = [];
    private int _capacity;
    private MemoryBuffer1D<byte, Stride1D.Dense>[] _activations = [];
    private MemoryBuffer1D<int, Stride1D.Dense>? _accumulators;
    private MemoryBuffer1D<long, Stride1D.Dense>? _consumed;
    private MemoryBuffer1D<long, Stride1D.Dense>? _broadcasts;
    private MemoryBuffer1D<long, Stride1D.Dense>? _steps;

    public GpuModel(GpuEngine engine, CommittedModel model)
    {
        _engine = engine;
        _model = model;
        Accelerator gpu = engine.Accelerator;
        _layers = new PreparedLayer[model.Layers.Count];
        for (int l = 0; l < model.Layers.Count; l++)
        {
            CommittedLayer layer = model.Layers[l];
            if (layer.Instruction.PeCount != 1)
            {
                throw new NotSupportedException($"layer {l} is split over {layer.Instruction.PeCount} PEs; the GPU device reads one slice per layer (compile the model for its profile)");
            }

            CommittedSlice slice = layer.Slices[0];
            ArrayView<byte> entries = slice.EntryCount == 0
                ? Own(gpu.Allocate1D<byte>(1)).View.SubView(0, 0)
                : engine.Weights.View.SubView(model.Address + slice.EntriesOffset, slice.EntryCount);
            _layers[l] = new PreparedLayer(
                layer,
                entries,
                Own(gpu.Allocate1D(slice.Pointers)).View,
                Own(gpu.Allocate1D(layer.Codebook)).View,
                Own(gpu.Allocate1D(layer.Bias)).View,
                Own(gpu.Allocate1D(slice.ColumnSteps.Length == 0 ? [0L] : slice.ColumnSteps)).View.SubView(0, slice.ColumnSteps.Length));
        }
    }

    /// <inheritdoc />
    public EngineWork Run(ReadOnlySpan<byte> inputs, int count, Span<int> outputs)
    {
        Reserve(count);
        long start = Stopwatch.GetTimestamp();
        int inputSize = _model.Header.InputSize;
        Whole(_activations[0]).SubView(0, (long)count * inputSize).CopyFromCPU(inputs[..(count * inputSize)]);
        for (int l = 0; l < _layers.Length; l++)
        {
            PreparedLayer layer = _layers[l];
            int cols = layer.Layer.Instruction.Cols;
            int rows = layer.Layer.Instruction.Rows;
            ArrayView<int> acc = Whole(_accumulators!).SubView(0, (long)count * rows);
            acc.MemSetToZero();
            _engine.Spmv(count, layer.Entries, layer.Pointers, layer.Codebook, Whole(_activations[l]).SubView(0, (long)count * cols), acc, cols, rows, Whole(_consumed!).SubView((long)l * _capacity, count));
            if (l == _layers.Length - 1)
            {
                _engine.Raw(count, acc, layer.Bias, rows);
            }
            else
            {
                _engine.Activations(count, acc, layer.Bias, rows, layer.Layer.Instruction.Shift, Whole(_activations[l + 1]).SubView(0, (long)count * rows));
            }
        }

        int outputSize = _model.Header.OutputSize;
        Whole(_accumulators!).SubView(0, (long)count * outputSize).CopyToCPU(outputs[..(count * outputSize)]);
        _engine.Accelerator.Synchronize();
        long nanoseconds = (long)Stopwatch.GetElapsedTime(start).TotalNanoseconds;
        (long entries, long steps, long broadcasts) = CountWork(count);
        return new EngineWork(nanoseconds, entries, steps, broadcasts);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (IDisposable buffer in _owned)
        {
            buffer.Dispose();
        }

        FreeBatch();
    }

    /// <summary>
    /// The emulator's work counters for the batch just run, counted on the GPU from each layer's
    /// activations and the kernel's entry counts, and summed there.
    /// </summary>
    private (long Entries, long Steps, long Broadcasts) CountWork(int count)
    {
        Accelerator gpu = _engine.Accelerator;
        ArrayView<long> broadcasts = Whole(_broadcasts!).SubView(0, count);
        ArrayView<long> steps = Whole(_steps!).SubView(0, count);
        broadcasts.MemSetToZero();
        steps.MemSetToZero();
        long entries = 0;
        for (int l = 0; l < _layers.Length; l++)
        {
            int cols = _layers[l].Layer.Instruction.Cols;
            _engine.CountLayer(count, Whole(_activations[l]).SubView(0, (long)count * cols), _layers[l].ColumnSteps, broadcasts, steps);
            entries += gpu.Reduce<long, AddInt64>(gpu.DefaultStream, Whole(_consumed!).SubView((long)l * _capacity, count));
        }

        return (entries, gpu.Reduce<long, AddInt64>(gpu.DefaultStream, steps), gpu.Reduce<long, AddInt64>(gpu.DefaultStream, broadcasts));
    }

    /// <summary>Makes the batch buffers hold at least <paramref name="count"/> images: activations per layer input, accumulators, entry counts.</summary>
    private void Reserve(int count)
    {
        if (count <= _capacity)
        {
            return;
        }

        FreeBatch();
        Accelerator gpu = _engine.Accelerator;
        _capacity = count;
        _activations = [.. _layers.Select(l => gpu.Allocate1D<byte>((long)count * l.Layer.Instruction.Cols))];
        _accumulators = gpu.Allocate1D<int>((long)count * _layers.Max(l => l.Layer.Instruction.Rows));
        _consumed = gpu.Allocate1D<long>((long)count * _layers.Length);
        _broadcasts = gpu.Allocate1D<long>(count);
        _steps = gpu.Allocate1D<long>(count);
    }

    private void FreeBatch()
    {
        foreach (MemoryBuffer1D<byte, Stride1D.Dense> buffer in _activations)
        {
            buffer.Dispose();
        }

        _accumulators?.Dispose();
        _consumed?.Dispose();
        _broadcasts?.Dispose();
        _steps?.Dispose();
    }

    /// <summary>A buffer as one contiguous view, the form ILGPU's copies and the kernels take.</summary>
    private static ArrayView<T> Whole<T>(MemoryBuffer1D<T, Stride1D.Dense> buffer)
        where T : unmanaged => buffer.View;

    private T Own<T>(T buffer)
        where T : IDisposable
    {
        _owned.Add(buffer);
        return buffer;
    }

    /// <summary>A layer's views on the GPU, its per-column shift-add steps (for the counters) among them.</summary>
    private sealed record PreparedLayer(CommittedLayer Layer, ArrayView<byte> Entries, ArrayView<int> Pointers, ArrayView<short> Codebook, ArrayView<int> Bias, ArrayView<long> ColumnSteps);
}
