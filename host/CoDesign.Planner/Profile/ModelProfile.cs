using CoDesign.Model;
using CoDesign.Runtime;
using CoDesign.Runtime.Compile;
using CoDesign.Runtime.Devices;
using CoDesign.Runtime.Devices.Emulator;

namespace CoDesign.Planner.Profile;

/// <summary>
/// The profile module's record of one model on one device (seed 000's profile module): its layers cut
/// into column blocks (and into row blocks where a layer's sums do not fit), each compiled to the image a
/// memory plan deploys or streams, with its bytes and cycles; the link bytes an image costs besides the
/// weights (its input, the Run frames and the outputs); and the largest batch the device's scratch holds the blocks' sums for.
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

    /// <summary>The blocks in execution order: layer after layer, row block after row block, columns in order.</summary>
    public IReadOnlyList<BlockProfile> Blocks { get; }

    /// <summary>Bytes of all its blocks' images.</summary>
    public long Bytes => Blocks.Sum(b => (long)b.Bytes);

    /// <summary>The most inputs one Run of its blocks can carry: the scratch holds every input's sums and activations, and frames are bounded.</summary>
    public int MaxBatch { get; }

    /// <summary>
    /// Link bytes per input besides streamed weights, before framing: the input columns each block takes
    /// from its Run (the model's input, sent again for each row block of the first layer, and the outputs of
    /// a layer cut into row blocks, sent back for the next), the outputs each block sends (32 bits each),
    /// and per block a Run request header and reply header shared by the batch.
    /// </summary>
    public double RunBytesPerInput(int batch) =>
        Blocks.Sum(b => ((b.Flags & BlockFlags.ChainIn) != 0 ? 0 : b.Cols) + (b.Emits ? 4.0 * b.Rows : 0))
        + (Blocks.Count * (double)(Runtime.Link.RunRequest.HeaderSize + Runtime.Link.RunReply.HeaderSize) / batch);

    /// <summary>A fresh copy of block <paramref name="index"/>'s image, to deploy (the profile keeps its own).</summary>
    public DeviceImage ImageOf(int index) => _images[index].Copy();

    /// <summary>Block size for a device: an eighth of its memory, within 512 B .. 4 KiB, so a plan has room to choose.</summary>
    public static int DefaultBlockBytes(DeviceProfile device) => Math.Clamp(device.PersistentBytes / 8, 512, 4096);

    /// <summary>
    /// Cuts every layer of <paramref name="model"/> into column blocks whose images take about
    /// <paramref name="blockBytes"/> bytes at most and compiles each for <paramref name="device"/>. A layer
    /// whose sums for one input do not fit the device's scratch (or whose outputs do not fit a reply) is
    /// first cut into as few row blocks as fit: each runs its column blocks and sends its outputs to the
    /// host, and the next layer takes them from the Run as the first layer takes the model's input.
    /// </summary>
    public static ModelProfile Measure(SparseModel model, DeviceProfile device, int blockBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockBytes, 256);
        SparseModel shaped = model.Repartition(device.PeCount);
        var blocks = new List<BlockProfile>();
        var images = new List<DeviceImage>();
        int batch = ushort.MaxValue;
        int lastLayer = shaped.Layers.Count - 1;
        bool fromHost = true; // the first layer's input comes in the Run
        for (int l = 0; l <= lastLayer; l++)
        {
            SparseLayer layer = shaped.Layers[l];

            // As few row blocks as let a Run carry one input; more than one send their outputs to the host.
            int rowBlocks = 0, width, layerBatch;
            bool toHost;
            do
            {
                rowBlocks++;
                toHost = l == lastLayer || rowBlocks > 1;
                width = BlockWidth(layer, rowBlocks, fromHost, device, blockBytes);
                layerBatch = LayerBatch(layer, rowBlocks, width, fromHost, toHost, device);
            }
            while (layerBatch < 1 && rowBlocks < layer.Rows);

            batch = Math.Min(batch, layerBatch);
            int count = (layer.Cols + width - 1) / width;
            for (int r = 0; r < rowBlocks; r++)
            {
                (int firstRow, int rows) = Share(layer.Rows, rowBlocks, r);
                // A hidden layer's row blocks send raw sums: the engines emit requantized values only
                // into scratch, so the host requantizes them (PlannedDeployment).
                SparseLayer part = layer.SliceRows(firstRow, rows);
                if (toHost && l < lastLayer)
                {
                    part = part.WithOutput(LayerOutput.Raw32);
                }

                string name = rowBlocks > 1 ? $"{model.Name}/L{l} rows {firstRow}..{firstRow + rows - 1}" : $"{model.Name}/L{l}";
                for (int k = 0; k < count; k++)
                {
                    (int first, int cols) = Share(layer.Cols, count, k);
                    BlockFlags flags = FlagsOf(k, count, fromHost, toHost);
                    DeviceImage image = ModelCompiler.CompileBlock(name, part, first, cols, flags, device);
                    long entries = image.Layers[0].EntriesPerPe.Sum(e => (long)e);
                    long cycles = PeArrayCostModel.LayerCycles(cols, rows, device.PeCount, part.Output == LayerOutput.Raw32, image.Layers[0].EntriesPerPe.Max() + cols);
                    blocks.Add(new BlockProfile(model.Name, l, first, cols, image.ImageBytes, entries, cycles, flags, firstRow, rows, layer.Rows));
                    images.Add(image);
                }
            }

            fromHost = toHost;
        }

        if (batch < 1)
        {
            throw new ArgumentException($"model '{model.Name}' cannot run in column blocks on device '{device.Name}': even one row of one input's sums and activations needs more than its {device.ScratchBytes} bytes of scratch");
        }

        return new ModelProfile(model, device, blocks, [.. images], batch);
    }

    // Block width from a row block's bytes per column (pointers and entries over all PEs, the entries
    // taken as the layer's share for its rows); a layer whose input comes in the Run also keeps its
    // blocks' columns within a frame, and within a quarter of the scratch (the Run's columns wait there
    // beside the sums; a block run as a whole layer keeps two buffers of them and its raw outputs).
    private static int BlockWidth(SparseLayer layer, int rowBlocks, bool fromHost, DeviceProfile device, int blockBytes)
    {
        int rows = LargestShare(layer.Rows, rowBlocks);
        int fixedBytes = 256 + (4 * rows); // header, instruction, codebook, PE table; the last block's bias
        double perColumn = (((double)layer.Weights.EntryCount / rowBlocks) + (layer.Weights.PeCount * 4.0 * (layer.Cols + 1))) / layer.Cols;
        int width = Math.Max(1, (int)((blockBytes - Math.Min(fixedBytes, blockBytes / 2)) / perColumn));
        return fromHost ? Math.Min(width, Math.Min(device.MaxPayload - Runtime.Link.RunRequest.HeaderSize, device.ScratchBytes / 4)) : width;
    }

    // The most inputs one Run of the layer's blocks can carry when it is cut into rowBlocks row blocks:
    // every input's sums and activation buffer stay in scratch beside the Run's input columns
    // (CommittedModel.RunScratchBytes), the input columns fit the request frame, and the outputs sent to
    // the host fit the reply. Every block also passes the device's check at commit (DeviceImage.ScratchFor:
    // two buffers of its input or rows and its raw outputs); a block with no flags (one column block,
    // input and outputs through the host) is a whole layer to the device, which runs the inputs one at a
    // time in that scratch.
    private static int LayerBatch(SparseLayer layer, int rowBlocks, int width, bool fromHost, bool toHost, DeviceProfile device)
    {
        int rows = LargestShare(layer.Rows, rowBlocks);
        int count = (layer.Cols + width - 1) / width;
        int batch = int.MaxValue;
        for (int k = 0; k < count; k++)
        {
            (int first, int cols) = Share(layer.Cols, count, k);
            BlockFlags flags = FlagsOf(k, count, fromHost, toHost);
            bool emits = flags.Emits();
            int input = fromHost ? cols : 0;
            if (DeviceImage.ScratchFor(input, [rows], emits ? rows : 0) > device.ScratchBytes)
            {
                return 0;
            }

            if (flags != BlockFlags.None)
            {
                int chained = fromHost ? 0 : first + cols;
                batch = Math.Min(batch, CommittedModel.BlockBatchLimit(device.ScratchBytes, input, rows, chained));
            }

            if (fromHost)
            {
                batch = Math.Min(batch, (device.MaxPayload - Runtime.Link.RunRequest.HeaderSize) / cols);
            }

            if (emits)
            {
                batch = Math.Min(batch, (device.MaxPayload - Runtime.Link.RunReply.HeaderSize) / (4 * rows));
            }
        }

        return batch;
    }

    // Block k of count over a layer: the first clears the accumulators, all but the last hold their sums;
    // the input comes in the Run or from the activations in scratch, and the last block's outputs go to
    // the host or stay in scratch for the next layer.
    private static BlockFlags FlagsOf(int k, int count, bool fromHost, bool toHost)
    {
        bool last = k == count - 1;
        return (k > 0 ? BlockFlags.Accumulate : 0)
            | (last ? 0 : BlockFlags.Hold)
            | (fromHost ? 0 : BlockFlags.ChainIn)
            | (last && !toHost ? BlockFlags.ChainOut : 0);
    }

    // Part k of `total` items spread evenly over `parts` (sizes differ by one at most): no block is a sliver.
    private static (int First, int Count) Share(int total, int parts, int k)
    {
        int first = k * total / parts;
        return (first, ((k + 1) * total / parts) - first);
    }

    // The largest of Share's parts: the largest row block, which bounds a layer's block width and batch.
    private static int LargestShare(int total, int parts) => (total + parts - 1) / parts;
}
