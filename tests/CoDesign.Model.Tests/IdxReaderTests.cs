using System.IO.Compression;
using CoDesign.Model.Datasets;

namespace CoDesign.Model.Tests;

/// <summary>The IDX reader on tiny hand-made files, valid and broken, plain and gzip-compressed.</summary>
public sealed class IdxReaderTests
{
    // Two 2 x 3 images: magic 00 00 08 03, sizes 2, 2, 3 (big-endian), then 12 bytes.
    private static readonly byte[] Images =
    [
        0, 0, 8, 3,
        0, 0, 0, 2,
        0, 0, 0, 2,
        0, 0, 0, 3,
        1, 2, 3, 4, 5, 6,
        7, 8, 9, 10, 11, 255,
    ];

    [Fact]
    public void ParsesARank3Tensor()
    {
        (int[] dims, byte[] data) = IdxReader.Parse(Images, "images");
        Assert.Equal([2, 2, 3], dims);
        Assert.Equal(Images[16..], data);
    }

    [Fact]
    public void ParsesRank1AndRank0Tensors()
    {
        (int[] dims, byte[] data) = IdxReader.Parse([0, 0, 8, 1, 0, 0, 1, 0, .. Enumerable.Range(0, 256).Select(i => (byte)i)], "labels");
        Assert.Equal([256], dims);
        Assert.Equal(256, data.Length);
        Assert.Equal(255, data[^1]);

        (dims, data) = IdxReader.Parse([0, 0, 8, 0, 42], "scalar");
        Assert.Empty(dims);
        Assert.Equal([42], data);
    }

    [Theory]
    [InlineData(new byte[] { }, "bad magic")]
    [InlineData(new byte[] { 0, 0, 8 }, "bad magic")]
    [InlineData(new byte[] { 1, 0, 8, 1, 0, 0, 0, 0 }, "bad magic")]
    [InlineData(new byte[] { 0, 1, 8, 1, 0, 0, 0, 0 }, "bad magic")]
    [InlineData(new byte[] { 0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0 }, "0x0D is not unsigned byte")]
    [InlineData(new byte[] { 0, 0, 8, 2, 0, 0, 0, 1 }, "truncated IDX header")]
    [InlineData(new byte[] { 0, 0, 8, 1, 0, 0, 0, 3, 1, 2 }, "holds 2 bytes, its header promises 3")]
    [InlineData(new byte[] { 0, 0, 8, 1, 0, 0, 0, 1, 1, 2 }, "holds 2 bytes, its header promises 1")]
    public void RefusesBrokenFiles(byte[] raw, string expected)
    {
        InvalidDataException e = Assert.Throws<InvalidDataException>(() => IdxReader.Parse(raw, "blob.idx"));
        Assert.StartsWith("blob.idx:", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 8, 2, 0x80, 0, 0, 0, 0, 0, 0, 0 })] // a size of 2^31 times 0
    [InlineData(new byte[] { 0, 0, 8, 1, 0xFF, 0xFF, 0xFF, 0xFF })] // 2^32 - 1 elements: would read as -1
    [InlineData(new byte[] { 0, 0, 8, 3, 0x40, 0, 0, 0, 0x40, 0, 0, 0, 0, 0, 0, 0x10 })] // 2^30 * 2^30 * 16 = 2^64, wraps to 0
    public void RefusesSizesThatDoNotFitInsteadOfReturningNonsense(byte[] raw)
    {
        InvalidDataException e = Assert.Throws<InvalidDataException>(() => IdxReader.Parse(raw, "huge.idx"));
        Assert.StartsWith("huge.idx:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryTruncationOfAValidFileIsRefused()
    {
        for (int length = 0; length < Images.Length; length++)
        {
            Assert.Throws<InvalidDataException>(() => IdxReader.Parse(Images[..length], "cut"));
        }
    }

    [Fact]
    public void ReadsPlainAndGzipFiles()
    {
        string directory = Directory.CreateTempSubdirectory("idx-test-").FullName;
        try
        {
            string plain = Path.Combine(directory, "images-idx3-ubyte");
            File.WriteAllBytes(plain, Images);
            string packed = Path.Combine(directory, "images-idx3-ubyte.gz");
            using (var gzip = new GZipStream(File.Create(packed), CompressionLevel.Optimal))
            {
                gzip.Write(Images);
            }

            foreach (string path in new[] { plain, packed })
            {
                (int[] dims, byte[] data) = IdxReader.Read(path);
                Assert.Equal([2, 2, 3], dims);
                Assert.Equal(Images[16..], data);
            }

            // Errors in a compressed file name the file.
            string broken = Path.Combine(directory, "broken.gz");
            using (var gzip = new GZipStream(File.Create(broken), CompressionLevel.Optimal))
            {
                gzip.Write(Images.AsSpan(0, 20));
            }

            InvalidDataException e = Assert.Throws<InvalidDataException>(() => IdxReader.Read(broken));
            Assert.Contains(broken, e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
