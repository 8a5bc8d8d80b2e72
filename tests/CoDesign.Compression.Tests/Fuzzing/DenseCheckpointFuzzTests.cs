using System.Buffers.Binary;
using CoDesign.Kernels;
using CoDesign.Model;
using CoDesign.Model.Tests.Fuzzing;

namespace CoDesign.Compression.Tests.Fuzzing;

/// <summary>
/// Mutated .cdsd checkpoints end in a network that survives a round trip or in a
/// <see cref="ModelFormatException"/> with a clean message. Most cases damage the body and then
/// repair the length field and both checksums, so they reach the body's field checks.
/// </summary>
public class DenseCheckpointFuzzTests
{
    private const int HeaderSize = 16;

    private static readonly byte[][] ValidFiles =
    [
        DenseModelFile.Serialize(TestData.RandomModel(3, 6, 4, 3), new Dictionary<string, string> { ["seed"] = "3", ["note"] = "ünïcode" }),
        DenseModelFile.Serialize(TestData.RandomModel(4, 5, 2)),
    ];

    [Fact]
    public void MutatedCheckpointsParseOrAreRefusedCleanly()
    {
        var mutator = new Mutator(FuzzSettings.Seed(0xCD5D));
        (int parsed, int refused) = FuzzRun.Run<byte[], ModelFormatException>(
            FuzzSettings.Cases(2000),
            i => Mutate(mutator, ValidFiles[i % ValidFiles.Length]),
            bytes =>
            {
                DenseCheckpoint checkpoint = DenseModelFile.Deserialize(bytes, "m.cdsd");
                DenseCheckpoint again = DenseModelFile.Deserialize(DenseModelFile.Serialize(checkpoint.Model, checkpoint.Metadata));
                Assert.Equal(checkpoint.Model.LayerSizes, again.Model.LayerSizes);
                Assert.All(checkpoint.Model.Weights, w => Assert.All(w, v => Assert.True(float.IsFinite(v))));
            },
            Convert.ToHexString,
            TimeSpan.FromSeconds(60));
        Assert.True(parsed > 0 && refused > parsed, $"{parsed} parsed, {refused} refused");
    }

    private static byte[] Mutate(Mutator mutator, byte[] valid)
    {
        if (mutator.Next(4) == 0)
        {
            return mutator.Mutate(valid);
        }

        // Half the cases lie in a layer size (u32 words from body offset 2), half damage the body anywhere.
        byte[] body = mutator.Next(2) == 0 ? mutator.WithWord(valid[HeaderSize..^4], 2 + (4 * mutator.Next(4))) : mutator.Mutate(valid[HeaderSize..^4]);
        // Sometimes the header lies about the body's length, with a checksum that vouches for the lie.
        uint declared = mutator.Next(4) == 0 ? (uint)(body.Length + mutator.Next(9) - 4) : (uint)body.Length;
        var file = new byte[HeaderSize + body.Length + 4];
        valid.AsSpan(0, 8).CopyTo(file);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(8), declared);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(12), Crc32.Compute(file.AsSpan(0, 12)));
        body.CopyTo(file, HeaderSize);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(HeaderSize + body.Length), Crc32.Compute(body));
        return file;
    }
}
