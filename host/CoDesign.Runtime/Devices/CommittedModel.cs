using CoDesign.Model;
using CoDesign.Runtime.Compile;

namespace CoDesign.Runtime.Devices;

/// <summary>
/// A model image the link server has checked (CRC-32 over device memory) and read: its header and
/// layers. Compute engines prepare it to run (<see cref="IComputeEngine.Load"/>).
/// </summary>
public sealed class CommittedModel
{
    private CommittedModel(int address, ModelHeader header, CommittedLayer[] layers)
    {
        Address = address;
        Header = header;
        Layers = layers;
    }

    /// <summary>Where the image starts in the weight region.</summary>
    public int Address { get; }

    /// <summary>The image's header: input and output sizes, layer count.</summary>
    public ModelHeader Header { get; }

    /// <summary>The layers in order.</summary>
    public IReadOnlyList<CommittedLayer> Layers { get; }

    /// <summary>Bytes of the larger activation vector between layers (the input included), rounded to 8.</summary>
    public int ActivationBytes => DeviceImage.Align(Math.Max(Header.InputSize, Layers.Max(l => l.Instruction.Rows)), 8);

    /// <summary>True for the image of one column block of a layer (a memory plan's unit).</summary>
    public bool IsBlock => Layers[0].Instruction.IsBlock;

    /// <summary>
    /// Scratch a Run of <paramref name="count"/> inputs needs: for a column block, its input buffer and
    /// every input's 32-bit sums and activations, which stay in scratch between Runs; for a whole
    /// model, <see cref="ScratchBytes"/>.
    /// </summary>
    public long RunScratchBytes(int count)
    {
        if (!IsBlock)
        {
            return ScratchBytes;
        }

        LayerInstruction ins = Layers[0].Instruction;
        int chained = (ins.Flags & BlockFlags.ChainIn) != 0 ? ins.FirstCol + ins.Cols : 0;
        return BlockRunScratch(Header.InputSize, count, ins.Rows, chained);
    }

    /// <summary>
    /// Scratch a Run of <paramref name="count"/> inputs of a column block needs: an input buffer of
    /// <paramref name="inputSize"/> bytes, 8-byte aligned, once, and each input's
    /// <see cref="BlockScratchPerInput"/>.
    /// </summary>
    public static long BlockRunScratch(int inputSize, int count, int rows, int chainedCols) =>
        DeviceImage.Align(inputSize, 8) + ((long)count * BlockScratchPerInput(rows, chainedCols));

    /// <summary>The most inputs a Run of a column block can carry in <paramref name="scratchBytes"/> of scratch (see <see cref="BlockRunScratch"/>).</summary>
    public static int BlockBatchLimit(int scratchBytes, int inputSize, int rows, int chainedCols) =>
        (int)((scratchBytes - DeviceImage.Align(inputSize, 8)) / BlockScratchPerInput(rows, chainedCols));

    /// <summary>
    /// Scratch one input of a Run of a column block keeps between Runs: its 32-bit sums over
    /// <paramref name="rows"/> rows and one activation buffer, which a chained block reads its columns
    /// from (up to <paramref name="chainedCols"/>, 0 when it is not chained) and the layer's last block
    /// overwrites with its outputs. The Run's input bytes come on top, once.
    /// </summary>
    public static int BlockScratchPerInput(int rows, int chainedCols) => (4 * rows) + DeviceImage.Align(Math.Max(rows, chainedCols), 8);

    /// <summary>Scratch memory a run needs: two activation buffers and the raw 32-bit outputs.</summary>
    public int ScratchBytes => (2 * ActivationBytes) + (4 * Header.OutputSize);

    /// <summary>Reads the model image <paramref name="image"/> found at <paramref name="address"/>; returns null with a reason when it is not a sound image.</summary>
    public static CommittedModel? Read(ReadOnlySpan<byte> image, int busBits, int address, out string? error)
    {
        ModelHeader? decoded = ModelHeader.Decode(image);
        if (decoded is not { } header)
        {
            error = $"no model header at address {address}";
            return null;
        }

        if (header.ImageBytes != image.Length || header.LayerCount == 0
            || header.InstructionsOffset < ModelHeader.Size
            || header.InstructionsOffset + ((long)header.LayerCount * LayerInstruction.Size) > image.Length)
        {
            error = $"model header at address {address} is inconsistent: {header}";
            return null;
        }

        var layers = new CommittedLayer[header.LayerCount];
        // A block that reads scratch takes no input bytes but still has its columns.
        int expectedCols = header.InputSize;
        if (header.LayerCount == 1 && LayerInstruction.Decode(image.Slice(header.InstructionsOffset, LayerInstruction.Size)) is { } first
            && (first.Flags & BlockFlags.ChainIn) != 0 && header.InputSize == 0)
        {
            expectedCols = first.Cols;
        }

        for (int l = 0; l < header.LayerCount; l++)
        {
            LayerInstruction? instruction = LayerInstruction.Decode(image.Slice(header.InstructionsOffset + (l * LayerInstruction.Size), LayerInstruction.Size));
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

            CommittedLayer? layer = CommittedLayer.Read(image, ins, busBits, out error);
            if (layer is null)
            {
                error = $"layer {l}: {error}";
                return null;
            }

            layers[l] = layer;
            expectedCols = ins.Rows;
        }

        // A column block stands alone in its image; one that holds its sums emits nothing.
        LayerInstruction last = layers[^1].Instruction;
        if (last.IsBlock && header.LayerCount != 1)
        {
            error = $"a column block must be the only layer of its image, not one of {header.LayerCount}";
            return null;
        }

        int emitted = last.Flags.Emits() ? expectedCols : 0;
        if (emitted != header.OutputSize || last.OutputKind != header.OutputKind)
        {
            error = $"the last layer's {emitted} {last.OutputKind} outputs disagree with the header";
            return null;
        }

        error = null;
        return new CommittedModel(address, header, layers);
    }
}
