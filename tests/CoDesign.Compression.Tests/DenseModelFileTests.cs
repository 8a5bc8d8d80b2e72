using System.Buffers.Binary;
using CoDesign.Kernels;
using CoDesign.Model;

namespace CoDesign.Compression.Tests;

public class DenseModelFileTests
{
    private static readonly Dictionary<string, string> Facts = new() { ["seed"] = "7", ["dense_accuracy"] = "0.89", ["note"] = "ünïcode" };

    [Fact]
    public void RoundTripKeepsEveryParameterAndTheMetadata()
    {
        DenseMlp model = TestData.RandomModel(3, 30, 7, 4);
        model.Biases[1][2] = -0.125f;

        DenseCheckpoint back = DenseModelFile.Deserialize(DenseModelFile.Serialize(model, Facts));

        Assert.Equal(model.LayerSizes, back.Model.LayerSizes);
        for (int l = 0; l < model.LayerCount; l++)
        {
            Assert.Equal(model.Weights[l], back.Model.Weights[l]);
            Assert.Equal(model.Biases[l], back.Model.Biases[l]);
        }

        Assert.Equal(Facts.OrderBy(p => p.Key), back.Metadata.OrderBy(p => p.Key));
    }

    [Fact]
    public void WritesAndReadsFiles()
    {
        string path = Path.Combine(Path.GetTempPath(), $"codesign-{Guid.NewGuid():N}.cdsd");
        try
        {
            DenseMlp model = TestData.RandomModel(4, 10, 3);
            DenseModelFile.Write(model, path, Facts);
            Assert.Equal(model.Weights[0], DenseModelFile.Read(path).Weights[0]);
            Assert.Equal("7", DenseModelFile.ReadCheckpoint(path).Metadata["seed"]);
            Assert.False(File.Exists(path + ".tmp"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void MissingFileIsAFormatErrorNamingThePath()
    {
        var error = Assert.Throws<ModelFormatException>(() => DenseModelFile.Read("/nonexistent/dir/model.cdsd"));
        Assert.Contains("/nonexistent/dir/model.cdsd", error.Message);
    }

    [Fact]
    public void EveryTruncationIsRefused()
    {
        byte[] file = DenseModelFile.Serialize(TestData.RandomModel(5, 6, 4, 3), Facts);
        for (int length = 0; length < file.Length; length++)
        {
            var error = Assert.Throws<ModelFormatException>(() => DenseModelFile.Deserialize(file.AsSpan(0, length), "m.cdsd"));
            Assert.StartsWith("m.cdsd: ", error.Message);
            Assert.Contains("truncated", error.Message);
        }
    }

    [Fact]
    public void EveryFlippedByteIsRefused()
    {
        byte[] file = DenseModelFile.Serialize(TestData.RandomModel(6, 6, 4, 3), Facts);
        for (int position = 0; position < file.Length; position++)
        {
            byte[] corrupted = (byte[])file.Clone();
            corrupted[position] ^= 0x10;
            var error = Assert.Throws<ModelFormatException>(() => DenseModelFile.Deserialize(corrupted, "m.cdsd"));
            Assert.Contains("offset", error.Message);
        }
    }

    [Fact]
    public void BodyCorruptionNamesTheChecksumOffset()
    {
        byte[] file = DenseModelFile.Serialize(TestData.RandomModel(6, 6, 4, 3));
        file[40] ^= 1;
        var error = Assert.Throws<ModelFormatException>(() => DenseModelFile.Deserialize(file, "m.cdsd"));
        Assert.Contains("body checksum mismatch", error.Message);
        Assert.Contains($"offset {file.Length - 4}", error.Message);
    }

    [Fact]
    public void AnotherVersionIsRefusedEvenWithAValidChecksum()
    {
        byte[] file = DenseModelFile.Serialize(TestData.RandomModel(7, 5, 2));
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(4), 2);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(12), Crc32.Compute(file.AsSpan(0, 12)));
        var error = Assert.Throws<ModelFormatException>(() => DenseModelFile.Deserialize(file, "m.cdsd"));
        Assert.Contains("version 2", error.Message);
        Assert.Contains("version 1", error.Message);
    }

    [Fact]
    public void TrailingBytesAreRefused()
    {
        byte[] file = [.. DenseModelFile.Serialize(TestData.RandomModel(8, 5, 2)), 0];
        var error = Assert.Throws<ModelFormatException>(() => DenseModelFile.Deserialize(file, "m.cdsd"));
        Assert.Contains($"1 unexpected bytes after the body checksum, from offset {file.Length - 1}", error.Message);
    }

    [Fact]
    public void ANonFiniteWeightIsRefusedWithItsOffset()
    {
        DenseMlp model = TestData.RandomModel(9, 3, 2);
        byte[] file = DenseModelFile.Serialize(model);
        // Body: u16 count, 2 x u32 sizes, u16 metadata count = 12 bytes, then the weights.
        int offset = 16 + 12 + (4 * 4);
        BinaryPrimitives.WriteSingleLittleEndian(file.AsSpan(offset), float.NaN);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(file.Length - 4), Crc32.Compute(file.AsSpan(16, file.Length - 20)));
        var error = Assert.Throws<ModelFormatException>(() => DenseModelFile.Deserialize(file, "m.cdsd"));
        Assert.Contains($"layer 0 weight 4 at offset {offset}", error.Message);
    }

    [Fact]
    public void AModelFileIsNotADenseCheckpoint()
    {
        var error = Assert.Throws<ModelFormatException>(() => DenseModelFile.Deserialize("CDSM0000000000000000"u8, "m.cdsm"));
        Assert.Contains("not a CoDesign dense checkpoint", error.Message);
    }
}
