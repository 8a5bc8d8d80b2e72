using CoDesign.TestSupport;

namespace CoDesign.Model.Tests.Fuzzing;

/// <summary>
/// Mutated .cdsm files end in a model that survives a round trip or in a <see cref="ModelFormatException"/>
/// with a clean message. Most cases re-checksum the damaged section, so they reach the parser's
/// field checks instead of stopping at a checksum.
/// </summary>
public class ModelFileFuzzTests
{
    private static readonly byte[][] ValidFiles =
    [
        ModelFile.Serialize(TestModels.HandMade()),
        ModelFile.Serialize(RandomSparseModel.Create(3, [12, 7, 4], 0.4, 2)),
        ModelFile.Serialize(RandomSparseModel.Create(5, [9, 5], 0.8, 3, reluLast: true)),
    ];

    [Fact]
    public void MutatedModelFilesParseOrAreRefusedCleanly()
    {
        var mutator = new Mutator(FuzzSettings.Seed(0xCD5));
        (int parsed, int refused) = FuzzRun.Run<byte[], ModelFormatException>(
            FuzzSettings.Cases(2000),
            i => Mutate(mutator, ValidFiles[i % ValidFiles.Length]),
            bytes =>
            {
                SparseModel model = ModelFile.Deserialize(bytes, "m.cdsm");
                // What parses must be a model the writer can write and the reader read back the same.
                TestModels.AssertEqual(model, ModelFile.Deserialize(ModelFile.Serialize(model)));
            },
            Convert.ToHexString,
            TimeSpan.FromSeconds(60));
        Assert.True(refused > parsed, $"{parsed} parsed, {refused} refused");
    }

    private static byte[] Mutate(Mutator mutator, byte[] valid)
    {
        if (mutator.Next(4) == 0)
        {
            return mutator.Mutate(valid);
        }

        ModelFileImage image = ModelFileImage.Split(valid);
        int section = mutator.Next(image.Sections.Count);
        (string tag, byte[] payload) = image.Sections[section];
        switch (mutator.Next(10))
        {
            case 8 or 9:
                // Every field of a layer up to its entries is a 4-byte-aligned word: rows, cols, biases, entry counts, pointers.
                image.Sections[section] = (tag, mutator.WithWord(payload, 4 * mutator.Next(Math.Max(1, payload.Length / 4))));
                break;
            case 0:
                image.SectionCountOverride = (uint)mutator.Next(8);
                break;
            case 1:
                image.Sections.RemoveAt(section);
                break;
            case 2:
                image.Sections.Insert(section, image.Sections[mutator.Next(image.Sections.Count)]);
                break;
            case 3:
                image.Sections[section] = (new[] { "META", "LAYR", "END ", "XXXX", "\0\0\0\0" }[mutator.Next(5)], payload);
                break;
            default:
                image.Sections[section] = (tag, mutator.Mutate(payload));
                break;
        }

        return image.Join();
    }
}
