using CoDesign.Kernels;
using CoDesign.Model;
using CoDesign.Runtime.Compile;

namespace CoDesign.Runtime.Devices.Emulator;

/// <summary>
/// A committed model on the emulated device: the instruction stream executed with the kernels over
/// the device's scratch memory, one input after the other, each layer's PEs on the host's cores when
/// the layer is large, and the cycles counted by the engine's cost model.
/// </summary>
internal sealed class EmulatedModel(CommittedModel model, int busBits, EmulatedEngine costModel, int[] accumulators, byte[]?[] activations) : IEngineModel
{
    /// <summary>Layers with at least this many entries run their PEs in parallel on the host's cores.</summary>
    private const long ParallelThreshold = 64 * 1024;

    private readonly CommittedModel _model = model;
    private readonly int _busBits = busBits;
    private readonly int _bufferBytes = model.ActivationBytes;
    private readonly byte[] _scratch = new byte[model.ScratchBytes];

    /// <inheritdoc />
    public EngineWork Run(ReadOnlySpan<byte> inputs, int count, Span<int> outputs)
    {
        int inputSize = _model.Header.InputSize;
        int outputSize = _model.Header.OutputSize;
        var counters = default(RunCounters);
        for (int i = 0; i < count; i++)
        {
            if (_model.IsBlock)
            {
                RunBlock(i, inputs.Slice(i * inputSize, inputSize), outputs.Slice(i * outputSize, outputSize), ref counters);
                continue;
            }

            RunOne(inputs.Slice(i * inputSize, inputSize), outputs.Slice(i * outputSize, outputSize), ref counters);
        }

        return new EngineWork(costModel == EmulatedEngine.SequentialEngine ? counters.SequentialCycles : counters.Cycles, counters.Entries, counters.ShiftAddSteps, counters.Broadcasts);
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }

    /// <summary>Runs one input through every layer; writes the last layer's outputs and adds to the counters.</summary>
    private void RunOne(ReadOnlySpan<byte> input, Span<int> outputs, ref RunCounters counters)
    {
        byte[] scratch = _scratch;
        input.CopyTo(scratch);
        counters.Cycles += PeArrayCostModel.HeaderCycles;
        int copied = _model.Header.InputSize;   // layer 0 copies the input beside its pointers
        counters.SequentialCycles += SequentialEngineCostModel.ImageCycles(_model.Header.InputSize);
        int inputAt = 0;
        int outputAt = _bufferBytes;
        foreach (CommittedLayer layer in _model.Layers)
        {
            LayerInstruction ins = layer.Instruction;
            ReadOnlySpan<byte> x = scratch.AsSpan(inputAt, ins.Cols);
            long entriesBefore = counters.Entries;
            long broadcastsBefore = counters.Broadcasts;
            int[] acc = Multiply(layer, x, ref counters);
            bool raw = ins.OutputKind == LayerOutput.Raw32;
            counters.Cycles += PeArrayCostModel.LayerCycles(ins.Cols, ins.Rows, ins.PeCount, raw, counters.SlowestPe, copied);
            copied = 0;
            counters.SequentialCycles += SequentialEngineCostModel.LayerCycles(
                ins.Cols, ins.Rows, ins.PeCount, ins.PointerBits, raw,
                counters.Broadcasts - broadcastsBefore, counters.Entries - entriesBefore);
            Requantizer.AddBias(acc, layer.Bias);

            // Result path: values narrowed to their output width and packed into bus words.
            if (raw)
            {
                int rawAt = 2 * _bufferBytes;
                WidthConverter.Pack(acc, 32, scratch.AsSpan(rawAt), _busBits);
                WidthConverter.Unpack(scratch.AsSpan(rawAt), _busBits, 32, true, outputs);
                return;
            }

            Span<int> activations = acc;
            for (int i = 0; i < acc.Length; i++)
            {
                activations[i] = Requantizer.ReluShiftSaturate(acc[i], ins.Shift);
            }

            WidthConverter.Pack(activations, 8, scratch.AsSpan(outputAt, _bufferBytes), _busBits);
            (inputAt, outputAt) = (outputAt, inputAt);
        }

        for (int i = 0; i < outputs.Length; i++)
        {
            outputs[i] = scratch[inputAt + i];
        }
    }

    /// <summary>
    /// Runs input <paramref name="index"/> of a batch through a column block: its partial product goes
    /// into that input's accumulators, cleared first unless the block accumulates; unless it holds,
    /// the bias is added and the layer's outputs are emitted as <see cref="RunOne"/> emits them.
    /// </summary>
    private void RunBlock(int index, ReadOnlySpan<byte> input, Span<int> outputs, ref RunCounters counters)
    {
        CommittedLayer layer = _model.Layers[0];
        LayerInstruction ins = layer.Instruction;
        Span<int> acc = accumulators.AsSpan(index * ins.Rows, ins.Rows);

        // Input i's activation buffer, the same for every layer of a chain. The Run's scratch check
        // (CommittedModel.RunScratchBytes) bounds how many there are.
        byte[] chain = activations[index] ??= new byte[activations.Length * 8];
        if ((ins.Flags & BlockFlags.ChainIn) != 0)
        {
            input = chain.AsSpan(ins.FirstCol, ins.Cols);
        }
        if ((ins.Flags & BlockFlags.Accumulate) == 0)
        {
            acc.Clear();
        }

        long entriesBefore = counters.Entries;
        long broadcastsBefore = counters.Broadcasts;
        int[] product = Multiply(layer, input, ref counters);
        for (int r = 0; r < acc.Length; r++)
        {
            acc[r] = unchecked(acc[r] + product[r]);
        }

        bool raw = ins.OutputKind == LayerOutput.Raw32;
        counters.Cycles += PeArrayCostModel.BlockCycles(_model.Header.InputSize, ins.Cols, ins.Rows, ins.PeCount, raw, ins.Flags, counters.SlowestPe);
        counters.SequentialCycles += SequentialEngineCostModel.BlockCycles(
            _model.Header.InputSize, ins.Cols, ins.Rows, ins.PeCount, ins.PointerBits, raw, ins.Flags, counters.Broadcasts - broadcastsBefore, counters.Entries - entriesBefore);
        if ((ins.Flags & BlockFlags.Hold) != 0)
        {
            return;
        }

        int[] sums = acc.ToArray();
        Requantizer.AddBias(sums, layer.Bias);
        for (int r = 0; r < sums.Length; r++)
        {
            int value = raw ? sums[r] : Requantizer.ReluShiftSaturate(sums[r], ins.Shift);
            if ((ins.Flags & BlockFlags.ChainOut) != 0)
            {
                chain[r] = (byte)value;
            }
            else
            {
                outputs[r] = value;
            }
        }
    }

    private int[] Multiply(CommittedLayer layer, ReadOnlySpan<byte> x, ref RunCounters counters)
    {
        LayerInstruction ins = layer.Instruction;
        var acc = new int[ins.Rows];
        var perPe = new int[ins.PeCount][];
        var busy = new long[ins.PeCount];
        var steps = new long[ins.PeCount];
        var consumed = new long[ins.PeCount];
        byte[] activations = x.ToArray();
        void RunPe(int pe)
        {
            CommittedSlice slice = layer.Slices[pe];
            var local = new int[slice.LocalRows];
            consumed[pe] = SparseMatVec.MultiplyAccumulate(slice.Entries, slice.Pointers, layer.Codebook, activations, local);
            for (int j = 0; j < activations.Length; j++)
            {
                if (activations[j] != 0)
                {
                    busy[pe] += Math.Max(1, slice.Pointers[j + 1] - slice.Pointers[j]);
                    steps[pe] += slice.ColumnSteps[j];
                }
            }

            perPe[pe] = local;
        }

        if (layer.TotalEntries >= ParallelThreshold && ins.PeCount > 1)
        {
            Parallel.For(0, ins.PeCount, RunPe);
        }
        else
        {
            for (int pe = 0; pe < ins.PeCount; pe++)
            {
                RunPe(pe);
            }
        }

        for (int pe = 0; pe < ins.PeCount; pe++)
        {
            SparseMatVec.ScatterRows(perPe[pe], ins.PeCount, pe, acc);
            counters.Entries += consumed[pe];
            counters.ShiftAddSteps += steps[pe];
        }

        for (int j = 0; j < activations.Length; j++)
        {
            counters.Broadcasts += activations[j] != 0 ? 1 : 0;
        }

        // The array's two builds differ only in their PEs' busy cycles: pe.v sees only the broadcasts,
        // a compiled PE's kernel steps through every column.
        counters.SlowestPe = costModel == EmulatedEngine.CompiledPeArray ? PeArrayCostModel.CompiledPeBusy(ins.Cols, consumed.Max()) : busy.Max();
        return acc;
    }
}

/// <summary>Work counters of a run, summed over a batch.</summary>
internal struct RunCounters
{
    /// <summary>Cycles of the PE array (<see cref="PeArrayCostModel"/>), of pe.v's or of compiled PEs as the model's cost model says.</summary>
    public long Cycles;
    public long Entries;
    public long ShiftAddSteps;
    public long Broadcasts;

    /// <summary>Cycles of the sequential layer engine the board builds carry (<see cref="SequentialEngineCostModel"/>).</summary>
    public long SequentialCycles;

    /// <summary>Busy cycles of the slowest PE in the layer just multiplied (a compiled PE's: <see cref="PeArrayCostModel.CompiledPeBusy"/>).</summary>
    public long SlowestPe;
}
