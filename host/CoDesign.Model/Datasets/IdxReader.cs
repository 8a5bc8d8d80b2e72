using System.Buffers.Binary;
using System.IO.Compression;
using CoDesign.Model.Files;

namespace CoDesign.Model.Datasets;

/// <summary>
/// Reads IDX files (the MNIST family's format: big-endian magic <c>00 00 08 rank</c>, one u32 size per
/// dimension, then unsigned bytes), plain or gzip-compressed.
/// </summary>
/// <remarks>
/// Limits: a file of at most <see cref="MaxFileBytes"/> (checked before reading), and at most
/// <see cref="MaxDataBytes"/> after decompression, where decompression stops as soon as it passes
/// the limit (a gzip bomb is refused, not expanded). Fashion-MNIST's largest file is 47 MB
/// uncompressed. Every problem is an <see cref="InvalidDataException"/> naming the file.
/// </remarks>
public static class IdxReader
{
    /// <summary>The largest file read, compressed or not: 256 MiB.</summary>
    public const long MaxFileBytes = 256L << 20;

    /// <summary>The largest IDX image after decompression, header included: 256 MiB.</summary>
    public const int MaxDataBytes = 256 << 20;

    /// <summary>
    /// An IDX images file (rank 3: count, rows, columns) and its labels file (rank 1) as one labelled
    /// set; <see cref="InvalidDataException"/> when they do not describe the same images.
    /// </summary>
    public static LabeledImages ReadLabeled(string images, string labels)
    {
        (int[] imageDims, byte[] pixels) = Read(images);
        (int[] labelDims, byte[] labelData) = Read(labels);
        if (imageDims.Length != 3 || labelDims.Length != 1 || imageDims[0] != labelDims[0])
        {
            throw new InvalidDataException($"{images} and {labels} do not describe the same set of 2-D images");
        }

        return new LabeledImages(pixels, labelData, imageDims[2], imageDims[1]);
    }

    /// <summary>Reads an unsigned-byte IDX tensor; returns its dimensions and data.</summary>
    public static (int[] Dimensions, byte[] Data) Read(string path)
    {
        byte[] stored = InputFile.ReadAllBytes(path, "IDX file", MaxFileBytes, problem => new InvalidDataException($"{path}: {problem}"));
        return Decode(stored, path);
    }

    /// <summary>Parses an IDX file's bytes as stored, gzip-compressed (decompressed within <see cref="MaxDataBytes"/>) or not; <paramref name="source"/> names it in errors.</summary>
    public static (int[] Dimensions, byte[] Data) Decode(byte[] stored, string source)
    {
        byte[] raw = stored.Length >= 2 && stored[0] == 0x1F && stored[1] == 0x8B
            ? Decompress(stored, problem => new InvalidDataException($"{source}: {problem}"))
            : stored;
        return Parse(raw, source);
    }

    /// <summary>Parses an uncompressed IDX image; <paramref name="source"/> names it in errors.</summary>
    public static (int[] Dimensions, byte[] Data) Parse(byte[] raw, string source)
    {
        if (raw.Length < 4 || raw[0] != 0 || raw[1] != 0)
        {
            throw new InvalidDataException($"{source}: not an IDX file (bad magic)");
        }

        if (raw[2] != 0x08)
        {
            throw new InvalidDataException($"{source}: IDX element type 0x{raw[2]:X2} is not unsigned byte (0x08)");
        }

        int rank = raw[3];
        if (raw.Length < 4 + (4 * rank))
        {
            throw new InvalidDataException($"{source}: truncated IDX header");
        }

        var dims = new int[rank];
        long total = 1;
        for (int d = 0; d < rank; d++)
        {
            uint size = BinaryPrimitives.ReadUInt32BigEndian(raw.AsSpan(4 + (4 * d)));
            if (size > int.MaxValue || (size != 0 && total > long.MaxValue / size))
            {
                throw new InvalidDataException($"{source}: IDX dimension {d} ({size}) makes the tensor too large");
            }

            dims[d] = (int)size;
            total *= size;
        }

        int headerSize = 4 + (4 * rank);
        if (raw.Length - headerSize != total)
        {
            throw new InvalidDataException($"{source}: IDX data holds {raw.Length - headerSize} bytes, its header promises {total}");
        }

        return (dims, raw[headerSize..]);
    }

    private static byte[] Decompress(byte[] compressed, Func<string, Exception> error)
    {
        byte[]? plain;
        try
        {
            using var gzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
            plain = InputFile.ReadAtMost(gzip, MaxDataBytes);
        }
        catch (InvalidDataException)
        {
            // The library's own wording names its types; say what it means for the user.
            throw error("the gzip data is corrupted");
        }

        return plain ?? throw error($"expands past {InputFile.Size(MaxDataBytes)} when decompressed, more than an IDX file may hold");
    }
}
