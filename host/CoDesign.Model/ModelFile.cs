using System.Buffers.Binary;
using System.Text;
using CoDesign.Kernels;
using CoDesign.Model.Files;

namespace CoDesign.Model;

/// <summary>
/// The <c>.cdsm</c> model file, version 1. All integers little-endian.
/// <code>
/// header   "CDSM" | u16 version | u16 reserved (0) | u32 section count | u32 CRC-32 of the previous 12 bytes
/// section  4-byte tag | u32 payload length | payload | u32 CRC-32 of the payload
///   "META" u16 name length | name (UTF-8) | u32 input size | u16 entry count | (u16 len key, u16 len value)*
///   "LAYR" u32 rows | u32 cols | u16 PEs (1 when written, any when read) | u8 output kind | u8 shift | f32 weight scale |
///          16 x i16 codebook | rows x i32 bias | per PE: u32 entry count | (cols+1) x u32 pointers | entries
///   "END " empty; must be the last section
/// </code>
/// One META first, then one LAYR per layer, then END. Readers refuse any other version, a section
/// whose checksum fails, a file that ends early or goes on past END, and a model that does not hold
/// together, each with the file offset and section concerned. A file larger than
/// <see cref="MaxFileBytes"/> is refused before it is read.
/// </summary>
public static class ModelFile
{
    /// <summary>The format version this build writes and reads.</summary>
    public const ushort Version = 1;

    /// <summary>The largest model file read: 256 MiB (the shipped model is 38 KB; a layer's rows and columns are limited to 2^24 each).</summary>
    public const long MaxFileBytes = ModelFormatException.DefaultMaxFileBytes;

    private const int HeaderSize = 16;
    private static ReadOnlySpan<byte> Magic => "CDSM"u8;

    /// <summary>
    /// Writes <paramref name="model"/> to <paramref name="path"/> through a temporary file in the same
    /// folder, so a crash never leaves half a model; a path that cannot be written is an
    /// <see cref="ArgumentException"/> that says why (see <see cref="OutputFile"/>).
    /// </summary>
    public static void Write(SparseModel model, string path)
    {
        OutputFile.WriteAtomically(path, "model file", Serialize(model));
    }

    /// <summary>
    /// The file image of <paramref name="model"/>. The file holds each layer's matrix, not a device's
    /// split of it: every layer is written as one CCS slice (one PE), and the compiler partitions
    /// rows over a device's PEs when it compiles for that device.
    /// </summary>
    public static byte[] Serialize(SparseModel model)
    {
        model = model.Repartition(1);
        var sections = new List<(string Tag, byte[] Payload)> { ("META", MetaPayload(model)) };
        sections.AddRange(model.Layers.Select(l => ("LAYR", LayerPayload(l))));
        sections.Add(("END ", []));

        using var stream = new MemoryStream();
        Span<byte> header = stackalloc byte[HeaderSize];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], Version);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], (uint)sections.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], Crc32.Compute(header[..12]));
        stream.Write(header);
        Span<byte> word = stackalloc byte[4];
        foreach ((string tag, byte[] payload) in sections)
        {
            stream.Write(Encoding.ASCII.GetBytes(tag));
            BinaryPrimitives.WriteUInt32LittleEndian(word, (uint)payload.Length);
            stream.Write(word);
            stream.Write(payload);
            BinaryPrimitives.WriteUInt32LittleEndian(word, Crc32.Compute(payload));
            stream.Write(word);
        }

        return stream.ToArray();
    }

    /// <summary>Reads a model file of at most <see cref="MaxFileBytes"/>; every failure is a <see cref="ModelFormatException"/> naming the file.</summary>
    public static SparseModel Read(string path)
    {
        return Deserialize(ModelFormatException.ReadAllBytes(path, "model file", MaxFileBytes), path);
    }

    /// <summary>Parses a file image; <paramref name="source"/> names it in error messages.</summary>
    public static SparseModel Deserialize(ReadOnlySpan<byte> bytes, string source = "model")
    {
        if (bytes.Length < HeaderSize)
        {
            throw new ModelFormatException($"{source}: truncated: {bytes.Length} bytes, shorter than the {HeaderSize}-byte header");
        }

        if (!bytes[..4].SequenceEqual(Magic))
        {
            throw new ModelFormatException($"{source}: not a CoDesign model: the file does not start with \"CDSM\"");
        }

        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(bytes[4..]);
        if (BinaryPrimitives.ReadUInt32LittleEndian(bytes[12..]) != Crc32.Compute(bytes[..12]))
        {
            throw new ModelFormatException($"{source}: header checksum mismatch at offset 12: the header is corrupted");
        }

        if (version != Version)
        {
            throw new ModelFormatException($"{source}: format version {version} is not supported; this build reads version {Version}");
        }

        uint sectionCount = BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]);
        int offset = HeaderSize;
        string? name = null;
        int inputSize = 0;
        Dictionary<string, string> metadata = [];
        var layers = new List<SparseLayer>();
        bool ended = false;
        for (uint s = 0; s < sectionCount; s++)
        {
            if (bytes.Length - offset < 8)
            {
                throw new ModelFormatException($"{source}: truncated at offset {offset}: section {s} of {sectionCount} has no complete header");
            }

            // Control characters of a damaged tag would reach the terminal through the message.
            string tag = string.Concat(Encoding.ASCII.GetString(bytes.Slice(offset, 4)).Select(c => char.IsControl(c) ? '?' : c));
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(bytes[(offset + 4)..]);
            int payloadStart = offset + 8;
            if (length > (uint)(bytes.Length - payloadStart) || bytes.Length - payloadStart - (int)length < 4)
            {
                throw new ModelFormatException(
                    $"{source}: truncated in section {s} ('{tag}') at offset {offset}: it declares {length} payload bytes plus a checksum, {bytes.Length - payloadStart} bytes remain");
            }

            ReadOnlySpan<byte> payload = bytes.Slice(payloadStart, (int)length);
            uint stored = BinaryPrimitives.ReadUInt32LittleEndian(bytes[(payloadStart + (int)length)..]);
            if (stored != Crc32.Compute(payload))
            {
                throw new ModelFormatException($"{source}: checksum mismatch in section {s} ('{tag}', payload at offset {payloadStart}, {length} bytes): the section is corrupted");
            }

            string where = $"{source}: section {s} ('{tag}') at offset {offset}";
            var reader = new SectionReader(payload, where, payloadStart);
            switch (tag)
            {
                case "META" when s == 0:
                    (name, inputSize) = ReadMeta(ref reader, metadata);
                    break;
                case "LAYR" when name is not null:
                    layers.Add(ReadLayer(ref reader, where, layers.Count));
                    break;
                case "END " when s == sectionCount - 1:
                    ended = true;
                    break;
                default:
                    throw new ModelFormatException($"{where}: unexpected section here (expected META first, then LAYR sections, then END last)");
            }

            reader.ExpectEnd();
            offset = payloadStart + (int)length + 4;
        }

        if (!ended || name is null)
        {
            throw new ModelFormatException($"{source}: incomplete: no END section after {sectionCount} sections");
        }

        if (offset != bytes.Length)
        {
            throw new ModelFormatException($"{source}: {bytes.Length - offset} unexpected bytes after the END section at offset {offset}");
        }

        try
        {
            return new SparseModel(name, inputSize, layers, metadata);
        }
        catch (ArgumentException e)
        {
            throw new ModelFormatException($"{source}: the layers do not fit together: {ArgumentMessage.Text(e)}", e);
        }
    }

    private static byte[] MetaPayload(SparseModel model)
    {
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream, Encoding.UTF8);
        WriteString(writer, model.Name);
        writer.Write((uint)model.InputSize);
        if (model.Metadata.Count > ushort.MaxValue)
        {
            throw new ArgumentException($"{model.Metadata.Count} metadata entries do not fit the format's limit of {ushort.MaxValue}", nameof(model));
        }

        writer.Write((ushort)model.Metadata.Count);
        foreach ((string key, string value) in model.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            WriteString(writer, key);
            WriteString(writer, value);
        }

        writer.Flush();
        return stream.ToArray();
    }

    private static byte[] LayerPayload(SparseLayer layer)
    {
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        writer.Write((uint)layer.Rows);
        writer.Write((uint)layer.Cols);
        writer.Write((ushort)layer.Weights.PeCount);
        writer.Write((byte)layer.Output);
        writer.Write((byte)layer.OutputShift);
        writer.Write(layer.WeightScale);
        foreach (short c in layer.Codebook)
        {
            writer.Write(c);
        }

        foreach (int b in layer.Bias)
        {
            writer.Write(b);
        }

        foreach (CcsSlice slice in layer.Weights.Slices)
        {
            writer.Write((uint)slice.EntryCount);
            foreach (int p in slice.Pointers)
            {
                writer.Write((uint)p);
            }

            writer.Write(slice.Entries);
        }

        writer.Flush();
        return stream.ToArray();
    }

    private static void WriteString(BinaryWriter writer, string value)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(value);
        if (utf8.Length > ushort.MaxValue)
        {
            throw new ArgumentException($"a string of {utf8.Length} UTF-8 bytes does not fit the format's limit of {ushort.MaxValue}", nameof(value));
        }

        writer.Write((ushort)utf8.Length);
        writer.Write(utf8);
    }

    private static (string Name, int InputSize) ReadMeta(ref SectionReader reader, Dictionary<string, string> metadata)
    {
        string name = reader.String("model name");
        int inputSize = reader.Count("input size", 1 << 24);
        int entries = reader.UInt16("metadata count");
        for (int i = 0; i < entries; i++)
        {
            string key = reader.String($"metadata key {i}");
            metadata[key] = reader.String($"metadata value {i}");
        }

        return (name, inputSize);
    }

    private static SparseLayer ReadLayer(ref SectionReader reader, string where, int index)
    {
        int rows = reader.Count("rows", 1 << 24);
        int cols = reader.Count("cols", 1 << 24);
        int peCount = reader.UInt16("PE count");
        if (peCount == 0)
        {
            throw new ModelFormatException($"{where}: layer {index} has 0 PEs");
        }

        byte outputKind = reader.Byte("output kind");
        if (!Enum.IsDefined((LayerOutput)outputKind))
        {
            throw new ModelFormatException($"{where}: layer {index} has unknown output kind {outputKind}");
        }

        int shift = reader.Byte("shift");
        float weightScale = reader.Single("weight scale");
        var codebook = new short[CcsEntry.CodebookSize];
        for (int c = 0; c < codebook.Length; c++)
        {
            codebook[c] = reader.Int16("codebook");
        }

        // Sizes come from the file: check that the payload holds them before allocating.
        reader.Require((long)rows * sizeof(int), "bias");
        var bias = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            bias[r] = reader.Int32("bias");
        }

        var slices = new CcsSlice[peCount];
        for (int pe = 0; pe < peCount; pe++)
        {
            int entryCount = reader.Count($"PE {pe} entry count", int.MaxValue);
            reader.Require(((long)cols + 1) * sizeof(uint), $"PE {pe} pointers");
            var pointers = new int[cols + 1];
            for (int j = 0; j <= cols; j++)
            {
                pointers[j] = reader.Count($"PE {pe} pointer {j}", entryCount);
            }

            slices[pe] = new CcsSlice(reader.Bytes(entryCount, $"PE {pe} entries"), pointers);
        }

        try
        {
            var matrix = new CcsMatrix(rows, cols, slices);
            string? problem = matrix.Validate();
            if (problem is not null)
            {
                throw new ModelFormatException($"{where}: layer {index} CCS is inconsistent: {problem}");
            }

            return new SparseLayer(matrix, codebook, bias, (LayerOutput)outputKind, shift, weightScale);
        }
        catch (ArgumentException e)
        {
            throw new ModelFormatException($"{where}: layer {index} is inconsistent: {ArgumentMessage.Text(e)}", e);
        }
    }

    /// <summary>Reads a section payload, reporting truncation with the field and its file offset.</summary>
    private ref struct SectionReader(ReadOnlySpan<byte> payload, string where, int fileOffset)
    {
        private readonly ReadOnlySpan<byte> _payload = payload;
        private int _position;

        public byte Byte(string field) => Take(1, field)[0];

        public ushort UInt16(string field) => BinaryPrimitives.ReadUInt16LittleEndian(Take(2, field));

        public short Int16(string field) => BinaryPrimitives.ReadInt16LittleEndian(Take(2, field));

        public int Int32(string field) => BinaryPrimitives.ReadInt32LittleEndian(Take(4, field));

        public float Single(string field) => BinaryPrimitives.ReadSingleLittleEndian(Take(4, field));

        public int Count(string field, int maximum)
        {
            int at = fileOffset + _position;
            uint value = BinaryPrimitives.ReadUInt32LittleEndian(Take(4, field));
            if (value > (uint)maximum)
            {
                throw new ModelFormatException($"{where}: {field} is {value} at offset {at}, more than the allowed {maximum}");
            }

            return (int)value;
        }

        public string String(string field)
        {
            int length = UInt16(field + " length");
            return Encoding.UTF8.GetString(Take(length, field));
        }

        public byte[] Bytes(int count, string field) => Take(count, field).ToArray();

        public readonly void Require(long count, string field)
        {
            if (_payload.Length - _position < count)
            {
                throw new ModelFormatException(
                    $"{where}: section ends while reading {field} at offset {fileOffset + _position} (needs {count} bytes, {_payload.Length - _position} left)");
            }
        }

        public readonly void ExpectEnd()
        {
            if (_position != _payload.Length)
            {
                throw new ModelFormatException($"{where}: {_payload.Length - _position} unread bytes at the end of the section (offset {fileOffset + _position})");
            }
        }

        private ReadOnlySpan<byte> Take(int count, string field)
        {
            if (_payload.Length - _position < count)
            {
                throw new ModelFormatException(
                    $"{where}: section ends while reading {field} at offset {fileOffset + _position} (needs {count} bytes, {_payload.Length - _position} left)");
            }

            ReadOnlySpan<byte> slice = _payload.Slice(_position, count);
            _position += count;
            return slice;
        }
    }
}
