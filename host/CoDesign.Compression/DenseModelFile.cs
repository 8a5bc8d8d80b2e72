using System.Buffers.Binary;
using System.Text;
using CoDesign.Kernels;
using CoDesign.Model;
using CoDesign.Model.Files;

namespace CoDesign.Compression;

/// <summary>
/// The <c>.cdsd</c> dense checkpoint of a <see cref="DenseMlp"/>, version 1. All integers and floats little-endian.
/// <code>
/// header  "CDSD" | u16 version | u16 reserved (0) | u32 body length | u32 CRC-32 of the previous 12 bytes
/// body    u16 size count n | n x u32 layer sizes (input first) | u16 metadata count |
///         (u16 key length, key UTF-8, u16 value length, value UTF-8)* |
///         per layer: outputs x inputs f32 weights (row-major) | outputs x f32 biases
/// trailer u32 CRC-32 of the body
/// </code>
/// Readers refuse another version, a checksum that fails, a file that is shorter or longer than its
/// header says, and a body that does not hold together, with a <see cref="ModelFormatException"/>
/// that says what is wrong and at which offset. A file larger than <see cref="MaxFileBytes"/> is
/// refused before it is read.
/// </summary>
public static class DenseModelFile
{
    /// <summary>The format version this build writes and reads.</summary>
    public const ushort Version = 1;

    /// <summary>Largest accepted layer count plus one; far beyond any network this stack trains.</summary>
    private const int MaxSizeCount = 64;

    /// <summary>The largest checkpoint read: 256 MiB, 64 million parameters (the shipped network's is 0.9 MB).</summary>
    public const long MaxFileBytes = ModelFormatException.DefaultMaxFileBytes;

    private const int HeaderSize = 16;
    private const int ChecksumSize = 4;
    private static ReadOnlySpan<byte> Magic => "CDSD"u8;

    /// <summary>
    /// Writes <paramref name="model"/> to <paramref name="path"/> through a temporary file in the same
    /// folder, so a crash never leaves half a checkpoint; a path that cannot be written is an
    /// <see cref="ArgumentException"/> that says why (see <see cref="OutputFile"/>).
    /// </summary>
    public static void Write(DenseMlp model, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        OutputFile.WriteAtomically(path, "checkpoint", Serialize(model, metadata));
    }

    /// <summary>The file image of <paramref name="model"/> and <paramref name="metadata"/>.</summary>
    public static byte[] Serialize(DenseMlp model, IReadOnlyDictionary<string, string>? metadata = null)
    {
        using var body = new MemoryStream();
        using (var writer = new BinaryWriter(body, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write((ushort)model.LayerSizes.Count);
            foreach (int size in model.LayerSizes)
            {
                writer.Write((uint)size);
            }

            var entries = (metadata ?? new Dictionary<string, string>()).OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
            if (entries.Count > ushort.MaxValue)
            {
                throw new ArgumentException($"{entries.Count} metadata entries; at most {ushort.MaxValue} fit", nameof(metadata));
            }

            writer.Write((ushort)entries.Count);
            foreach ((string key, string value) in entries)
            {
                WriteString(writer, key);
                WriteString(writer, value);
            }

            for (int l = 0; l < model.LayerCount; l++)
            {
                foreach (float w in model.Weights[l])
                {
                    writer.Write(w);
                }

                foreach (float b in model.Biases[l])
                {
                    writer.Write(b);
                }
            }
        }

        byte[] payload = body.ToArray();
        var file = new byte[HeaderSize + payload.Length + ChecksumSize];
        Magic.CopyTo(file);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(4), Version);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(6), 0);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(8), (uint)payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(12), Crc32.Compute(file.AsSpan(0, 12)));
        payload.CopyTo(file, HeaderSize);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(HeaderSize + payload.Length), Crc32.Compute(payload));
        return file;
    }

    /// <summary>Reads the network of a checkpoint of at most <see cref="MaxFileBytes"/>; every failure is a <see cref="ModelFormatException"/> naming the file.</summary>
    public static DenseMlp Read(string path) => ReadCheckpoint(path).Model;

    /// <summary>Reads a checkpoint with its metadata; every failure is a <see cref="ModelFormatException"/> naming the file.</summary>
    public static DenseCheckpoint ReadCheckpoint(string path)
    {
        return Deserialize(ModelFormatException.ReadAllBytes(path, "checkpoint", MaxFileBytes), path);
    }

    /// <summary>Parses a file image; <paramref name="source"/> names it in error messages.</summary>
    public static DenseCheckpoint Deserialize(ReadOnlySpan<byte> bytes, string source = "checkpoint")
    {
        if (bytes.Length < HeaderSize)
        {
            throw new ModelFormatException($"{source}: truncated: {bytes.Length} bytes, shorter than the {HeaderSize}-byte header");
        }

        if (!bytes[..4].SequenceEqual(Magic))
        {
            throw new ModelFormatException($"{source}: not a CoDesign dense checkpoint: the file does not start with \"CDSD\" (offset 0)");
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(bytes[12..]) != Crc32.Compute(bytes[..12]))
        {
            throw new ModelFormatException($"{source}: header checksum mismatch at offset 12: the header is corrupted");
        }

        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(bytes[4..]);
        if (version != Version)
        {
            throw new ModelFormatException($"{source}: format version {version} (offset 4) is not supported; this build reads version {Version}");
        }

        ushort reserved = BinaryPrimitives.ReadUInt16LittleEndian(bytes[6..]);
        if (reserved != 0)
        {
            throw new ModelFormatException($"{source}: reserved field at offset 6 is {reserved}, expected 0");
        }

        uint bodyLength = BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]);
        long expectedEnd = HeaderSize + (long)bodyLength + ChecksumSize;
        if (bytes.Length < expectedEnd)
        {
            throw new ModelFormatException(
                $"{source}: truncated: the header (offset 8) declares a {bodyLength}-byte body plus a {ChecksumSize}-byte checksum from offset {HeaderSize}, but only {bytes.Length - HeaderSize} bytes follow the header");
        }

        if (bytes.Length > expectedEnd)
        {
            throw new ModelFormatException($"{source}: {bytes.Length - expectedEnd} unexpected bytes after the body checksum, from offset {expectedEnd}");
        }

        ReadOnlySpan<byte> body = bytes.Slice(HeaderSize, (int)bodyLength);
        int checksumOffset = HeaderSize + (int)bodyLength;
        if (BinaryPrimitives.ReadUInt32LittleEndian(bytes[checksumOffset..]) != Crc32.Compute(body))
        {
            throw new ModelFormatException(
                $"{source}: body checksum mismatch: the CRC-32 at offset {checksumOffset} does not match bytes {HeaderSize}..{checksumOffset - 1}: the checkpoint is corrupted");
        }

        return ReadBody(new BodyReader(body, source, HeaderSize));
    }

    private static DenseCheckpoint ReadBody(BodyReader reader)
    {
        int sizeCount = reader.UInt16("layer size count");
        if (sizeCount is < 2 or > MaxSizeCount)
        {
            throw reader.Error($"layer size count is {sizeCount}; a network has 2..{MaxSizeCount} sizes (input, hidden layers, output)", 2);
        }

        var sizes = new int[sizeCount];
        long parameters = 0;
        for (int i = 0; i < sizeCount; i++)
        {
            uint size = reader.UInt32($"layer size {i}");
            if (size is 0 or > 1 << 24)
            {
                throw reader.Error($"layer size {i} is {size}; sizes are 1..{1 << 24}", 4);
            }

            sizes[i] = (int)size;
            if (i > 0)
            {
                parameters += ((long)sizes[i - 1] * sizes[i]) + sizes[i];
            }
        }

        int entryCount = reader.UInt16("metadata count");
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int e = 0; e < entryCount; e++)
        {
            string key = reader.String($"metadata key {e}");
            metadata[key] = reader.String($"metadata value {e} ({EchoedText.Quote(key)})");
        }

        if (parameters * sizeof(float) != reader.Remaining)
        {
            throw reader.Error(
                $"the layer sizes {string.Join("-", sizes)} call for {parameters} parameters ({parameters * sizeof(float)} bytes), but {reader.Remaining} bytes remain in the body",
                0);
        }

        var model = new DenseMlp(sizes);
        for (int l = 0; l < model.LayerCount; l++)
        {
            reader.Floats(model.Weights[l], $"layer {l} weight");
            reader.Floats(model.Biases[l], $"layer {l} bias");
        }

        reader.ExpectEnd();
        return new DenseCheckpoint(model, metadata);
    }

    private static void WriteString(BinaryWriter writer, string value)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(value);
        if (utf8.Length > ushort.MaxValue)
        {
            throw new ArgumentException($"metadata text of {utf8.Length} bytes is longer than {ushort.MaxValue}");
        }

        writer.Write((ushort)utf8.Length);
        writer.Write(utf8);
    }

    /// <summary>Reads the body field by field, reporting problems with the field and its file offset.</summary>
    private ref struct BodyReader(ReadOnlySpan<byte> body, string source, int fileOffset)
    {
        private readonly ReadOnlySpan<byte> _body = body;
        private int _position;

        public readonly int Remaining => _body.Length - _position;

        public ushort UInt16(string field) => BinaryPrimitives.ReadUInt16LittleEndian(Take(2, field));

        public uint UInt32(string field) => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, field));

        public string String(string field)
        {
            int length = UInt16(field + " length");
            try
            {
                return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Take(length, field));
            }
            catch (DecoderFallbackException)
            {
                throw Error($"{field} is not valid UTF-8", length);
            }
        }

        public void Floats(Span<float> target, string field)
        {
            int start = _position;
            ReadOnlySpan<byte> raw = Take(target.Length * sizeof(float), field + "s");
            for (int i = 0; i < target.Length; i++)
            {
                float value = BinaryPrimitives.ReadSingleLittleEndian(raw[(i * sizeof(float))..]);
                if (!float.IsFinite(value))
                {
                    throw new ModelFormatException($"{source}: {field} {i} at offset {fileOffset + start + (i * sizeof(float))} is {value}, not a finite number");
                }

                target[i] = value;
            }
        }

        public readonly void ExpectEnd()
        {
            if (_position != _body.Length)
            {
                throw new ModelFormatException($"{source}: {_body.Length - _position} unread bytes at the end of the body (offset {fileOffset + _position})");
            }
        }

        /// <summary>An error about the field that ended <paramref name="back"/> bytes before the current position.</summary>
        public readonly ModelFormatException Error(string problem, int back) =>
            new($"{source}: {problem} (offset {fileOffset + _position - back})");

        private ReadOnlySpan<byte> Take(int count, string field)
        {
            if (_body.Length - _position < count)
            {
                throw new ModelFormatException(
                    $"{source}: the body ends while reading {field} at offset {fileOffset + _position} (needs {count} bytes, {_body.Length - _position} left)");
            }

            ReadOnlySpan<byte> slice = _body.Slice(_position, count);
            _position += count;
            return slice;
        }
    }
}
