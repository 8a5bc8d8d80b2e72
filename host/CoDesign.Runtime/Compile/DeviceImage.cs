using CoDesign.Model;

namespace CoDesign.Runtime.Compile;

/// <summary>
/// A model converted for a device (seed 001's "first data"): the packed weight blocks, the
/// instruction stream and the DMA descriptors that place them, cut into chunks that each fit one
/// frame. The output of stage "compile" and the input of stage "deploy". Its chunks are released
/// one by one as the device acknowledges them.
/// </summary>
public sealed class DeviceImage
{
    internal DeviceImage(string modelName, DeviceProfile target, ModelHeader header, uint checksum, IReadOnlyList<ImageChunk> chunks, IReadOnlyList<LayerSummary> layers)
    {
        ModelName = modelName;
        Target = target;
        Header = header;
        Checksum = checksum;
        Chunks = chunks;
        Layers = layers;
    }

    /// <summary>Name of the model it was compiled from.</summary>
    public string ModelName { get; }

    /// <summary>The device profile it was compiled for.</summary>
    public DeviceProfile Target { get; }

    /// <summary>The model header at the start of the image.</summary>
    public ModelHeader Header { get; }

    /// <summary>Bytes of device memory the image occupies.</summary>
    public int ImageBytes => Header.ImageBytes;

    /// <summary>CRC-32 of the whole image as it must stand in device memory.</summary>
    public uint Checksum { get; }

    /// <summary>The chunks in sending order.</summary>
    public IReadOnlyList<ImageChunk> Chunks { get; }

    /// <summary>Per-layer facts (rows, columns, per-PE entries), for reports.</summary>
    public IReadOnlyList<LayerSummary> Layers { get; }

    /// <summary>Host bytes the image still holds (unreleased chunk data and descriptors).</summary>
    public long HostBytesHeld => Chunks.Sum(c => c.HostBytes);

    /// <summary>True once every chunk has been released.</summary>
    public bool IsFullyReleased => Chunks.All(c => c.IsReleased);

    /// <summary>
    /// The image as it must stand in device memory, put together from the chunks' bytes: what a build
    /// bakes into the weight memory's initialisation. Throws <see cref="InvalidOperationException"/>
    /// once a chunk has been released (the host no longer has all of it).
    /// </summary>
    public byte[] ToMemoryBytes()
    {
        var memory = new byte[ImageBytes];
        foreach (ImageChunk chunk in Chunks)
        {
            byte[] data = chunk.Payload
                ?? throw new InvalidOperationException($"image of '{ModelName}' has released chunks (it was deployed); compile the model again");
            data.CopyTo(memory, chunk.Descriptor.Address);
        }

        return memory;
    }

    /// <summary>
    /// A second image with copies of this one's bytes, to deploy while this one stays whole: a block
    /// that a memory plan streams is sent once per batch, so the host keeps it. Throws
    /// <see cref="InvalidOperationException"/> once a chunk has been released.
    /// </summary>
    public DeviceImage Copy() => new(
        ModelName,
        Target,
        Header,
        Checksum,
        [.. Chunks.Select(c => new ImageChunk(c.Descriptor, (byte[])(c.Payload
            ?? throw new InvalidOperationException($"image of '{ModelName}' has released chunks (it was deployed); compile the model again")).Clone()))],
        Layers);

    /// <summary>Device memory the image needs for activations: two ping-pong buffers and the 32-bit output.</summary>
    public int ScratchBytes => ScratchFor(Header.InputSize, Layers.Select(l => l.Rows), Header.OutputSize);

    /// <summary>Scratch needed by a chain of layer widths (8-bit activations ping-pong, 32-bit final outputs).</summary>
    public static int ScratchFor(int inputSize, IEnumerable<int> layerRows, int outputSize)
    {
        int widest = Math.Max(inputSize, layerRows.DefaultIfEmpty(0).Max());
        return (2 * Align(widest, 8)) + (4 * outputSize);
    }

    internal static int Align(int value, int alignment) => (value + alignment - 1) / alignment * alignment;
}

/// <summary>Facts about one compiled layer.</summary>
/// <param name="Rows">Outputs.</param>
/// <param name="Cols">Inputs.</param>
/// <param name="EntriesPerPe">Stored entries (padding included) on each PE.</param>
/// <param name="PointerBits">Width the column pointers are stored at.</param>
/// <param name="Output">What the layer emits.</param>
public sealed record LayerSummary(int Rows, int Cols, IReadOnlyList<int> EntriesPerPe, int PointerBits, LayerOutput Output);
