using System.IO.Compression;
using CoDesign.Model.Datasets;

namespace CoDesign.Model.Tests.Fuzzing;

/// <summary>Mutated IDX files, plain and gzip-compressed, end in a consistent tensor or an <see cref="InvalidDataException"/> with a clean message.</summary>
public class IdxFuzzTests
{
    // Three 2x3 images; the header says 00 00 08 03, then 3, 2, 3 big-endian.
    private static readonly byte[] Images = [0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 3, .. Enumerable.Range(0, 18).Select(i => (byte)(i * 14))];

    private static readonly byte[] Labels = [0, 0, 8, 1, 0, 0, 0, 5, 1, 2, 3, 4, 9];

    [Fact]
    public void MutatedPlainFilesDecodeOrAreRefusedCleanly()
    {
        var mutator = new Mutator(FuzzSettings.Seed(0x1D1));
        (int parsed, int refused) = FuzzRun.Run<byte[], InvalidDataException>(
            FuzzSettings.Cases(2000),
            i => mutator.Mutate(i % 2 == 0 ? Images : Labels),
            raw => Check(IdxReader.Decode(raw, "images.idx")),
            Convert.ToHexString,
            TimeSpan.FromSeconds(60));
        Assert.True(parsed > 0 && refused > parsed, $"{parsed} parsed, {refused} refused");
    }

    [Fact]
    public void MutatedGzipFilesDecodeOrAreRefusedCleanly()
    {
        var mutator = new Mutator(FuzzSettings.Seed(0x1D2));
        (int parsed, int refused) = FuzzRun.Run<byte[], InvalidDataException>(
            FuzzSettings.Cases(1000),
            // Half compress a mutated image (header lies inside valid gzip), half damage the gzip stream itself.
            i => i % 2 == 0 ? Gzip(mutator.Mutate(Images)) : mutator.Mutate(Gzip(i % 4 == 1 ? Images : Labels)),
            stored => Check(IdxReader.Decode(stored, "images.idx.gz")),
            Convert.ToHexString,
            TimeSpan.FromSeconds(60));
        Assert.True(parsed > 0 && refused > 0, $"{parsed} parsed, {refused} refused");
    }

    internal static byte[] Gzip(byte[] plain)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest))
        {
            gzip.Write(plain);
        }

        return compressed.ToArray();
    }

    private static void Check((int[] Dimensions, byte[] Data) tensor)
    {
        long total = tensor.Dimensions.Aggregate(1L, (product, d) => product * d);
        Assert.All(tensor.Dimensions, d => Assert.True(d >= 0));
        Assert.Equal(total, tensor.Data.Length);
    }
}
