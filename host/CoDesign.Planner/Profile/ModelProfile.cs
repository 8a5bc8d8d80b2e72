using CoDesign.Model;
using CoDesign.Runtime;
using CoDesign.Runtime.Compile;
using CoDesign.Runtime.Devices.Emulator;

namespace CoDesign.Planner.Profile;

/// <summary>
/// The profile module's record of one model on one device (seed 000's profile module): its layers cut
/// into column blocks, each compiled to the image a memory plan deploys or streams, with its bytes and
/// cycles; the link bytes an image costs besides the weights (its input, the Run frames and the
/// output); and the largest batch the device's scratch holds the blocks' sums for.
/// </summary>
public sealed class ModelProfile
{
    private readonly DeviceImage[] _images;

    private ModelProfile(SparseModel model, DeviceProfile device, IReadOnlyList<BlockProfile> blocks, DeviceImage[] images, int maxBatch)
    {
        Model = model;
        Device = device;
        Blocks = blocks;
        _images = images;
        MaxBatch = maxBatch;
    }

    /// <summary>The model.</summary>
    public SparseModel Model { get; }

    /// <summary>Name of the model.</summary>
    public string Name => Model.Name;

    /// <summary>The device profile the blocks were compiled for.</summary>
    public DeviceProfile Device { get; }

    /// <summary>The blocks in execution order: layer after layer, columns in order.</summary>
    public IReadOnlyList<BlockProfile> Blocks { get; }

    /// <summary>Bytes of all its blocks' images.</summary>
    public long Bytes => Blocks.Sum(b => (long)b.Bytes);

    /// <summary>The most inputs one Run of its blocks can carry: the scratch holds every input's sums and activations, and frames are bounded.</summary>
    public int MaxBatch { get; }

    /// <summary>
    /// Link bytes per input besides streamed weights, before framing: its input bytes, and per block a
    /// Run request header and reply header shared by the batch, and the outputs.
    /// </summary>
    public double RunBytesPerInput(int batch) =>
        Model.InputSize + (4.0 * Model.OutputSize) + (Blocks.Count * (double)(Runtime.Link.RunRequest.HeaderSize + Runtime.Link.RunReply.HeaderSize) / batch);

    /// <summary>A fresh copy of block <paramref name="index"/>'s image, to deploy (the profile keeps its own).</summary>
    public DeviceImage ImageOf(int index) => _images[index].Copy();

    /// <summary>Block size for a device: an eighth of its memory, within 512 B .. 4 KiB, so a plan has room to choose.</summary>
    public static int DefaultBlockBytes(DeviceProfile device) => Math.Clamp(device.PersistentBytes / 8, 512, 4096);

    /// <summary>
    /// Cuts every layer of <paramref name="model"/> into column blocks whose images take about
    /// <paramref name="blockBytes"/> bytes at most and compiles each for <paramref name="device"/>.
    /// </summary>
    public static ModelProfile Measure(SparseModel model, DeviceProfile device, int blockBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockBytes, 256);
        SparseModel shaped = model.Repartition(device.PeCount);
        var blocks = new List<BlockProfile>();
        var images = new List<DeviceImage>();
        int batch = ushort.MaxValue;
        int lastLayer = shaped.Layers.Count - 1;
        for (int l = 0; l <= lastLayer; l++)
        {
            SparseLayer layer = shaped.Layers[l];

            // Block width from the layer's bytes per column (pointers and entries over all PEs);
            // inputs of the first layer travel in the Run frame, so its blocks also stay under a frame.
            int fixedBytes = 256 + (4 * layer.Rows); // header, instruction, codebook, PE table; the last block's bias
            double perColumn = ((double)layer.Weights.EntryCount + (layer.Weights.PeCount * 4.0 * (layer.Cols + 1))) / layer.Cols;
            int width = Math.Max(1, (int)((blockBytes - Math.Min(fixedBytes, blockBytes / 2)) / perColumn));
            if (l == 0)
            {
                width = Math.Min(width, device.MaxPayload - Runtime.Link.RunRequest.HeaderSize);
            }

            // Columns spread evenly over the blocks, so no block is a sliver.
            int count = (layer.Cols + width - 1) / width;
            for (int k = 0; k < count; k++)
            {
                int first = k * layer.Cols / count;
                int cols = ((k + 1) * layer.Cols / count) - first;
                bool last = k == count - 1;
                BlockFlags flags = (k > 0 ? BlockFlags.Accumulate : 0)
                    | (last ? 0 : BlockFlags.Hold)
                    | (l > 0 ? BlockFlags.ChainIn : 0)
                    | (last && l < lastLayer ? BlockFlags.ChainOut : 0);
                DeviceImage image = ModelCompiler.CompileBlock(shaped, l, first, cols, flags, device);
                long entries = image.Layers[0].EntriesPerPe.Sum(e => (long)e);
                long cycles = PeArrayCostModel.LayerCycles(cols, layer.Rows, device.PeCount, layer.Output == LayerOutput.Raw32, image.Layers[0].EntriesPerPe.Max() + cols);
                blocks.Add(new BlockProfile(model.Name, l, first, cols, image.ImageBytes, entries, cycles, flags));
                images.Add(image);
                int perInput = (4 * layer.Rows) + Align8(Math.Max(layer.Rows, l > 0 ? first + cols : 0));
                int inputBuffer = l == 0 ? Align8(cols) : 0;
                batch = Math.Min(batch, (device.ScratchBytes - inputBuffer) / perInput);
                if (l == 0)
                {
                    batch = Math.Min(batch, (device.MaxPayload - Runtime.Link.RunRequest.HeaderSize) / cols);
                }

                if (!last || l == lastLayer)
                {
                    batch = Math.Min(batch, last ? (device.MaxPayload - Runtime.Link.RunReply.HeaderSize) / (4 * layer.Rows) : batch);
                }
            }
        }

        if (batch < 1)
        {
            throw new ArgumentException($"model '{model.Name}' cannot run in column blocks on device '{device.Name}': one input's sums and activations need more than its {device.ScratchBytes} bytes of scratch");
        }

        return new ModelProfile(model, device, blocks, [.. images], batch);
    }

    private static int Align8(int value) => (value + 7) / 8 * 8;
}
