using System.Diagnostics.CodeAnalysis;
using CoDesign.Kernels;
using CoDesign.Model;

namespace CoDesign.Runtime.Compile;

/// <summary>
/// Stage "compile": turns a <see cref="SparseModel"/> into a <see cref="DeviceImage"/> for a device
/// profile. Rows are re-interleaved for the device's PE count; codebooks and biases are packed at the
/// device's bus width by <see cref="WidthConverter"/>; each PE's column pointers (16 bits when they
/// fit, else 32) and entries go into its memory lane (<see cref="MemoryLanes"/>); blocks are cut
/// into chunks that fit one frame.
/// </summary>
public static class ModelCompiler
{
    /// <summary>Compiles <paramref name="model"/> for <paramref name="target"/>. Throws <see cref="ArgumentException"/> when it cannot fit the device.</summary>
    public static DeviceImage Compile(SparseModel model, DeviceProfile target) =>
        TryCompile(model, target, out DeviceImage? image, out string? refusal) ? image : throw new ArgumentException(refusal);

    /// <summary>
    /// Compiles <paramref name="model"/> for <paramref name="target"/>, or says why it does not fit the
    /// device (activation memory or weight memory) in <paramref name="refusal"/>.
    /// </summary>
    public static bool TryCompile(SparseModel model, DeviceProfile target, [NotNullWhen(true)] out DeviceImage? image, [NotNullWhen(false)] out string? refusal)
    {
        image = null;
        SparseModel shaped = model.Repartition(target.PeCount);
        int scratch = DeviceImage.ScratchFor(shaped.InputSize, shaped.Layers.Select(l => l.Rows), shaped.OutputSize);
        if (scratch > target.ScratchBytes)
        {
            refusal = $"model '{model.Name}' needs {scratch} bytes of activation memory; device '{target.Name}' has {target.ScratchBytes}";
            return false;
        }

        var builder = new ImageBuilder(target.BusBytes);
        int headerAt = builder.Reserve(ModelHeader.Size, 8, false, BlockKind.Header);
        int instructionsAt = builder.Reserve(LayerInstruction.Size * shaped.Layers.Count, 8, false, BlockKind.Instructions);
        var summaries = new List<LayerSummary>();
        for (int l = 0; l < shaped.Layers.Count; l++)
        {
            summaries.Add(PlaceLayer(builder, shaped.Layers[l], instructionsAt + (l * LayerInstruction.Size), BlockFlags.None, 0));
        }

        var header = new ModelHeader(shaped.Layers.Count, shaped.InputSize, shaped.OutputSize, shaped.Layers[^1].Output, instructionsAt, builder.Length);
        header.Encode(builder.Span(headerAt, ModelHeader.Size));
        if (header.ImageBytes > target.PersistentBytes)
        {
            refusal = $"model '{model.Name}' compiles to {header.ImageBytes} bytes; device '{target.Name}' has {target.PersistentBytes} bytes of weight memory";
            return false;
        }

        int chunkData = target.MaxPayload - DmaDescriptor.Size;
        image = new DeviceImage(shaped.Name, target, header, Crc32.Compute(builder.Bytes), builder.Chunk(chunkData), summaries);
        refusal = null;
        return true;
    }

    /// <summary>
    /// Compiles columns <paramref name="firstCol"/> .. <paramref name="firstCol"/> + <paramref name="colCount"/> - 1
    /// of layer <paramref name="layerIndex"/> of <paramref name="model"/> into an image of one column block
    /// (<see cref="LayerInstruction.SparseFullyConnectedBlock"/>) for a memory plan: its input is those
    /// columns' activations, in the Run or (<see cref="BlockFlags.ChainIn"/>, header input size 0) in
    /// scratch; with <see cref="BlockFlags.Hold"/> it has no bias and emits nothing, with
    /// <see cref="BlockFlags.ChainOut"/> it leaves its outputs in scratch (both: the header says 0
    /// outputs), else it emits the layer's outputs. The CCS columns are cut as they are
    /// (a column's zero runs count within the column), so the blocks' sums add up to the layer's.
    /// </summary>
    public static DeviceImage CompileBlock(SparseModel model, int layerIndex, int firstCol, int colCount, BlockFlags flags, DeviceProfile target) =>
        CompileBlock($"{model.Name}/L{layerIndex}", model.Layers[layerIndex], firstCol, colCount, flags, target);

    /// <summary>
    /// Compiles a column block of <paramref name="layer"/>, as <see cref="CompileBlock(SparseModel, int, int, int, BlockFlags, DeviceProfile)"/>
    /// does; the layer may be a row block of a model's layer (<see cref="SparseLayer.SliceRows"/>), whose
    /// sums fit the device's accumulators when the whole layer's do not. <paramref name="name"/> names the
    /// layer (the image is named by it and the columns).
    /// </summary>
    public static DeviceImage CompileBlock(string name, SparseLayer layer, int firstCol, int colCount, BlockFlags flags, DeviceProfile target)
    {
        layer = layer.Repartition(target.PeCount);
        ArgumentOutOfRangeException.ThrowIfNegative(firstCol);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(colCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(firstCol + colCount, layer.Cols, nameof(colCount));
        var slices = layer.Weights.Slices.Select(s =>
        {
            int from = s.Pointers[firstCol];
            int to = s.Pointers[firstCol + colCount];
            int[] pointers = s.Pointers.AsSpan(firstCol, colCount + 1).ToArray();
            for (int j = 0; j < pointers.Length; j++)
            {
                pointers[j] -= from;
            }

            return new CcsSlice(s.Entries.AsSpan(from, to - from).ToArray(), pointers);
        }).ToArray();
        var part = new SparseLayer(new CcsMatrix(layer.Rows, colCount, slices), layer.Codebook, layer.Bias, layer.Output, layer.OutputShift, layer.WeightScale);

        var builder = new ImageBuilder(target.BusBytes);
        int headerAt = builder.Reserve(ModelHeader.Size, 8, false, BlockKind.Header);
        int instructionsAt = builder.Reserve(LayerInstruction.Size, 8, false, BlockKind.Instructions);
        LayerSummary summary = PlaceLayer(builder, part, instructionsAt, flags, (flags & BlockFlags.ChainIn) != 0 ? firstCol : 0);
        var header = new ModelHeader(1, (flags & BlockFlags.ChainIn) != 0 ? 0 : colCount, flags.Emits() ? layer.Rows : 0, layer.Output, instructionsAt, builder.Length);
        header.Encode(builder.Span(headerAt, ModelHeader.Size));
        return new DeviceImage($"{name}[{firstCol}..{firstCol + colCount - 1}]", target, header, Crc32.Compute(builder.Bytes), builder.Chunk(target.MaxPayload - DmaDescriptor.Size), [summary]);
    }

    /// <summary>
    /// Places a layer's codebook, bias (unless the block holds its sums), PE table and slices, and
    /// writes its instruction at <paramref name="instructionAt"/>.
    /// </summary>
    private static LayerSummary PlaceLayer(ImageBuilder builder, SparseLayer layer, int instructionAt, BlockFlags flags, int firstCol)
    {
        CcsMatrix weights = layer.Weights;
        int pointerBits = weights.Slices.Max(s => s.EntryCount) <= ushort.MaxValue ? 16 : 32;
        int codebookAt = builder.AddValues(layer.Codebook.Select(c => (int)c).ToArray(), 16, true, BlockKind.Codebook);
        int biasAt = (flags & BlockFlags.Hold) != 0 ? 0 : builder.AddValues(layer.Bias, 32, true, BlockKind.Bias);
        int tableAt = builder.Reserve(PeSliceRecord.Size * weights.PeCount, 8, false, BlockKind.PeTable);
        PlaceSlices(builder, weights, pointerBits, tableAt);
        new LayerInstruction(layer.Output, layer.OutputShift, pointerBits, weights.PeCount, layer.Rows, layer.Cols, codebookAt, biasAt, tableAt, flags, firstCol)
            .Encode(builder.Span(instructionAt, LayerInstruction.Size));
        return new LayerSummary(layer.Rows, layer.Cols, weights.Slices.Select(s => s.EntryCount).ToArray(), pointerBits, layer.Output);
    }

    /// <summary>
    /// Writes a layer's PE slices into one block, each PE's pointers then entries in its memory lane
    /// (<see cref="MemoryLanes"/>), and their records into the PE table at <paramref name="tableAt"/>.
    /// PEs that share a lane follow each other in it; the block is as long as its fullest lane.
    /// </summary>
    private static void PlaceSlices(ImageBuilder builder, CcsMatrix weights, int pointerBits, int tableAt)
    {
        int peCount = weights.PeCount;
        int word = MemoryLanes.WordBytes(peCount);
        int pointerBytes = pointerBits / 8;
        var laneFill = new long[MemoryLanes.Lanes(peCount)];
        var starts = new (long Pointers, long Entries)[peCount];
        for (int pe = 0; pe < peCount; pe++)
        {
            int lane = MemoryLanes.LaneOf(pe, peCount);
            long pointersAt = laneFill[lane];
            long entriesAt = DeviceImage.Align((int)(pointersAt + ((long)weights.Slices[pe].Pointers.Length * pointerBytes)), word);
            starts[pe] = (pointersAt, entriesAt);
            laneFill[lane] = DeviceImage.Align((int)(entriesAt + weights.Slices[pe].EntryCount), word);
        }

        int blockAt = builder.Reserve((int)(laneFill.Max() / word * MemoryLanes.LineBytes), 8, false, BlockKind.Slices);
        Span<byte> block = builder.Span(blockAt, builder.Length - blockAt);
        for (int pe = 0; pe < peCount; pe++)
        {
            CcsSlice slice = weights.Slices[pe];
            int laneAt = word * MemoryLanes.LaneOf(pe, peCount);
            var pointers = new byte[slice.Pointers.Length * pointerBytes];
            WidthConverter.Pack(slice.Pointers, pointerBits, pointers, pointerBits);
            int pointersAt = (int)MemoryLanes.Address(laneAt, starts[pe].Pointers, word);
            int entriesAt = (int)MemoryLanes.Address(laneAt, starts[pe].Entries, word);
            MemoryLanes.Write(block, pointersAt, pointers, word);
            MemoryLanes.Write(block, entriesAt, slice.Entries, word);
            new PeSliceRecord(blockAt + pointersAt, blockAt + entriesAt, slice.EntryCount).Encode(builder.Span(tableAt + (pe * PeSliceRecord.Size), PeSliceRecord.Size));
        }
    }

    /// <summary>
    /// Lays blocks out one after another, each padded to whole bus words and memory lines, so every
    /// block starts in lane 0 (<see cref="MemoryLanes"/>).
    /// </summary>
    private sealed class ImageBuilder(int busBytes)
    {
        private readonly int _blockAlignment = Math.Max(busBytes, MemoryLanes.LineBytes);

        private readonly List<(int Offset, int Length, int ElementBits, bool Signed, BlockKind Kind)> _blocks = [];
        private byte[] _buffer = new byte[4096];

        public int Length { get; private set; }

        public ReadOnlySpan<byte> Bytes => _buffer.AsSpan(0, Length);

        /// <summary>Appends a zeroed block of <paramref name="length"/> bytes (rounded up to a bus word).</summary>
        public int Reserve(int length, int elementBits, bool signed, BlockKind kind)
        {
            int offset = Length;
            int padded = DeviceImage.Align(length, _blockAlignment);
            if (offset + padded > _buffer.Length)
            {
                Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, offset + padded));
            }

            Length = offset + padded;
            _blocks.Add((offset, padded, elementBits, signed, kind));
            return offset;
        }

        public int AddValues(int[] values, int valueBits, bool signed, BlockKind kind)
        {
            int bytes = (int)WidthConverter.ByteCount(values.Length, valueBits, busBytes * 8);
            int offset = Reserve(bytes, valueBits, signed, kind);
            WidthConverter.Pack(values, valueBits, Span(offset, bytes), busBytes * 8);
            return offset;
        }

        /// <summary>A window on already reserved bytes; valid until the next <see cref="Reserve"/>.</summary>
        public Span<byte> Span(int offset, int length) => _buffer.AsSpan(offset, length);

        /// <summary>
        /// Cuts every block into chunks of at most <paramref name="maxChunk"/> bytes. Chunks are whole
        /// block alignments long, so each one's DMA address stays word-aligned whatever the frame limit
        /// (an odd payload limit once put every chunk after the first off the bus word).
        /// </summary>
        public IReadOnlyList<ImageChunk> Chunk(int maxChunk)
        {
            maxChunk = maxChunk / _blockAlignment * _blockAlignment;
            var chunks = new List<ImageChunk>();
            foreach ((int offset, int length, int bits, bool signed, BlockKind kind) in _blocks)
            {
                for (int at = 0; at < length; at += maxChunk)
                {
                    int size = Math.Min(maxChunk, length - at);
                    chunks.Add(new ImageChunk(new DmaDescriptor(offset + at, size, bits, signed, kind), _buffer.AsSpan(offset + at, size).ToArray()));
                }
            }

            return chunks;
        }
    }
}
