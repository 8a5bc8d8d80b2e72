using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using CoDesign.Kernels;

namespace CoDesign.TestSupport;

/// <summary>Small 8-bit grey image files written for tests of image readers: PNG and binary PGM.</summary>
public static class ImageFiles
{
    /// <summary>A PNG of <paramref name="width"/> x <paramref name="height"/> grey pixels (colour type 0, 8 bits, no filtering).</summary>
    public static byte[] Png(int width, int height, ReadOnlySpan<byte> pixels)
    {
        using var file = new MemoryStream();
        file.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;
        WriteChunk(file, "IHDR", header);
        using var raw = new MemoryStream();
        using (var zlib = new ZLibStream(raw, CompressionLevel.Optimal, leaveOpen: true))
        {
            for (int y = 0; y < height; y++)
            {
                zlib.WriteByte(0);
                zlib.Write(pixels.Slice(y * width, width));
            }
        }

        WriteChunk(file, "IDAT", raw.ToArray());
        WriteChunk(file, "IEND", []);
        return file.ToArray();
    }

    /// <summary>A binary PGM (P5) of <paramref name="width"/> x <paramref name="height"/> grey pixels.</summary>
    public static byte[] Pgm(int width, int height, ReadOnlySpan<byte> pixels) =>
        [.. Encoding.ASCII.GetBytes($"P5\n{width} {height}\n255\n"), .. pixels];

    private static void WriteChunk(Stream file, string type, byte[] data)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        file.Write(length);
        byte[] typed = [.. Encoding.ASCII.GetBytes(type), .. data];
        file.Write(typed);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32.Compute(typed));
        file.Write(crc);
    }
}
