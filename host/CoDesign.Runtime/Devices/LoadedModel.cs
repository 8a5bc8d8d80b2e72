using CoDesign.Kernels;
using CoDesign.Model;
using CoDesign.Runtime.Compile;

namespace CoDesign.Runtime.Devices;

/// <summary>
/// A committed model on the emulated device: its header and layers read from persistent memory,
/// and the execution of the instruction stream with the kernels over the scratch memory.
/// </summary>
internal sealed class LoadedModel
{
    /// <summary>Layers with at least this many entries run their PEs in parallel on the host's cores.</summary>
    private const long ParallelThreshold = 64 * 1024;

    private readonly int _busBits;
    private readonly int _bufferBytes;

    private LoadedModel(int busBits, int address, ModelHeader header, LoadedLayer[] layers)
    {
        _busBits = busBits;
        Address = address;
        Header = header;
        Layers = layers;
        _bufferBytes = DeviceImage.Align(Math.Max(header.InputSize, layers.Max(l => l.Instruction.Rows)), 8);
    }

    public int Address { get; }

    public ModelHeader Header { get; }

    public LoadedLayer[] Layers { get; }

    public int ScratchBytes => (2 * _bufferBytes) + (4 * Header.OutputSize);

    /// <summary>Reads a model image at <paramref name="address"/>; returns null with a reason when it is not a sound image.</summary>
    public static LoadedModel? Read(byte[] memory, int busBits, int address, int imageBytes, out string? error)
    {
        ModelHeader? decoded = ModelHeader.Decode(memory.AsSpan(address, imageBytes));
        if (decoded is not { } header)
        {
            error = $"no model header at address {address}";
            return null;
        }

        if (header.ImageBytes != imageBytes || header.LayerCount == 0
            || header.InstructionsOffset < ModelHeader.Size
            || header.InstructionsOffset + ((long)header.LayerCount * LayerInstruction.Size) > imageBytes)
        {
            error = $"model header at address {address} is inconsistent: {header}";
            return null;
        }

        var layers = new LoadedLayer[header.LayerCount];
        int expectedCols = header.InputSize;
        for (int l = 0; l < header.LayerCount; l++)
        {
            LayerInstruction? instruction = LayerInstruction.Decode(memory.AsSpan(address + header.InstructionsOffset + (l * LayerInstruction.Size), LayerInstruction.Size));
            if (instruction is not { } ins)
            {
                error = $"layer {l}: unknown opcode";
                return null;
            }

            if (ins.Cols != expectedCols || (l < header.LayerCount - 1 && ins.OutputKind != LayerOutput.ReluActivations8))
            {
                error = $"layer {l}: takes {ins.Cols} inputs after a layer of {expectedCols} outputs, or emits raw values before the last layer";
                return null;
            }

            LoadedLayer? layer = LoadedLayer.Read(memory, address, imageBytes, ins, busBits, out error);
            if (layer is null)
            {
                error = $"layer {l}: {error}";
                return null;
            }

            layers[l] = layer;
            expectedCols = ins.Rows;
        }

        if (expectedCols != header.OutputSize || layers[^1].Instruction.OutputKind != header.OutputKind)
        {
            error = $"the last layer's {expectedCols} {layers[^1].Instruction.OutputKind} outputs disagree with the header";
            return null;
        }

        error = null;
        return new LoadedModel(busBits, address, header, layers);
    }

    /// <summary>Runs one input through every layer; writes the last layer's outputs and adds to the counters.</summary>
    public void Run(byte[] scratch, ReadOnlySpan<byte> input, Span<int> outputs, ref RunCounters counters)
    {
        input.CopyTo(scratch);
        counters.Cycles += CostModel.ImageCycles(Header.InputSize);
        counters.SequentialCycles += SequentialEngineCostModel.ImageCycles(Header.InputSize);
        int inputAt = 0;
        int outputAt = _bufferBytes;
        foreach (LoadedLayer layer in Layers)
        {
            LayerInstruction ins = layer.Instruction;
            ReadOnlySpan<byte> x = scratch.AsSpan(inputAt, ins.Cols);
            long entriesBefore = counters.Entries;
            long broadcastsBefore = counters.Broadcasts;
            int[] acc = Multiply(layer, x, ref counters);
            bool raw = ins.OutputKind == LayerOutput.Raw32;
            counters.Cycles += CostModel.LayerCycles(ins.Cols, ins.Rows, ins.PeCount, raw, counters.SlowestPe);
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

    private int[] Multiply(LoadedLayer layer, ReadOnlySpan<byte> x, ref RunCounters counters)
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
            LoadedLayer.PeSlice slice = layer.Slices[pe];
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

        counters.SlowestPe = busy.Max();
        return acc;
    }
}

/// <summary>Work counters of a run, summed over a batch.</summary>
internal struct RunCounters
{
    /// <summary>Cycles of the PE array (<see cref="CostModel"/>).</summary>
    public long Cycles;
    public long Entries;
    public long ShiftAddSteps;
    public long Broadcasts;

    /// <summary>Cycles of the sequential layer engine the board builds carry (<see cref="SequentialEngineCostModel"/>).</summary>
    public long SequentialCycles;

    /// <summary>Busy cycles of the slowest PE in the layer just multiplied.</summary>
    public long SlowestPe;
}
