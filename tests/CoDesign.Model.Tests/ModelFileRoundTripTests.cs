namespace CoDesign.Model.Tests;

/// <summary>ModelFile writes every field of a model and reads back the same model.</summary>
public sealed class ModelFileRoundTripTests
{
    public static TheoryData<string> Models() => ["hand-made", "random-small", "random-deep", "random-dense-relu-last", "random-one-pe"];

    [Theory]
    [MemberData(nameof(Models))]
    public void SerializeThenDeserializeGivesTheSameModel(string which)
    {
        SparseModel model = Make(which);
        byte[] bytes = ModelFile.Serialize(model);
        SparseModel read = ModelFile.Deserialize(bytes, "memory");
        TestModels.AssertEqual(model.Repartition(1), read);

        // Deterministic: the same model gives the same bytes.
        Assert.Equal(bytes, ModelFile.Serialize(read));
    }

    [Fact]
    public void TheHeaderFollowsTheDocumentedLayout()
    {
        SparseModel model = TestModels.HandMade();
        byte[] bytes = ModelFile.Serialize(model);
        Assert.Equal("CDSM"u8.ToArray(), bytes[..4]);
        Assert.Equal(ModelFile.Version, BitConverter.ToUInt16(bytes, 4));
        Assert.Equal(0, BitConverter.ToUInt16(bytes, 6));
        ModelFileImage image = ModelFileImage.Split(bytes);
        Assert.Equal(["META", "LAYR", "LAYR", "END "], image.Sections.Select(s => s.Tag));
        Assert.Empty(image.Sections[^1].Payload);
        Assert.Equal(bytes, image.Join());
    }

    [Fact]
    public void WriteThenReadThroughAFile()
    {
        string directory = Directory.CreateTempSubdirectory("cdsm-test-").FullName;
        try
        {
            string path = Path.Combine(directory, "model.cdsm");
            SparseModel model = Make("random-small");
            ModelFile.Write(model, path);
            Assert.False(File.Exists(path + ".tmp"));
            TestModels.AssertEqual(model.Repartition(1), ModelFile.Read(path));

            // Overwriting replaces the file.
            ModelFile.Write(TestModels.HandMade(), path);
            TestModels.AssertEqual(TestModels.HandMade().Repartition(1), ModelFile.Read(path));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void ReadOfAMissingFileIsAFormatErrorNamingThePath()
    {
        string path = Path.Combine(Path.GetTempPath(), $"no-such-model-{Guid.NewGuid():N}.cdsm");
        ModelFormatException e = Assert.Throws<ModelFormatException>(() => ModelFile.Read(path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StringsUpToTheFormatLimitRoundTripAndLongerOnesAreRefusedWhenWriting()
    {
        // Strings carry a u16 byte length. 65,535 bytes fit; one more must not produce an unreadable file.
        SparseModel model = TestModels.HandMade();
        var atLimit = new SparseModel(model.Name, model.InputSize, model.Layers, new Dictionary<string, string> { ["log"] = new string('x', ushort.MaxValue) });
        TestModels.AssertEqual(atLimit.Repartition(1), ModelFile.Deserialize(ModelFile.Serialize(atLimit)));

        var tooLong = new SparseModel(model.Name, model.InputSize, model.Layers, new Dictionary<string, string> { ["log"] = new string('x', ushort.MaxValue + 1) });
        ArgumentException e = Assert.Throws<ArgumentException>(() => ModelFile.Serialize(tooLong));
        Assert.Contains("65535", e.Message, StringComparison.Ordinal);

        // Two-byte characters count as two bytes.
        var wide = new SparseModel(new string('\u00e9', 40000), model.InputSize, model.Layers);
        Assert.Throws<ArgumentException>(() => ModelFile.Serialize(wide));
    }

    [Fact]
    public void FilesThatHoldAPerPeSplitStillRead()
    {
        // Files written before 2026-12-03 held the compressor's 4-PE split; the format allows any count.
        SparseModel model = Make("random-small").Repartition(4);
        ModelFileImage image = ModelFileImage.Split(ModelFile.Serialize(model));
        for (int l = 0; l < model.Layers.Count; l++)
        {
            image.Sections[1 + l] = ("LAYR", SplitLayerPayload(model.Layers[l]));
        }

        SparseModel read = ModelFile.Deserialize(image.Join(), "legacy");

        Assert.Equal(4, read.PeCount);
        TestModels.AssertEqual(model, read);
    }

    /// <summary>A LAYR payload as the format documents it, with the layer's own split.</summary>
    private static byte[] SplitLayerPayload(SparseLayer layer)
    {
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        writer.Write((uint)layer.Rows);
        writer.Write((uint)layer.Cols);
        writer.Write((ushort)layer.Weights.PeCount);
        writer.Write((byte)layer.Output);
        writer.Write((byte)layer.OutputShift);
        writer.Write(layer.WeightScale);
        Array.ForEach(layer.Codebook, writer.Write);
        Array.ForEach(layer.Bias, writer.Write);
        foreach (CcsSlice slice in layer.Weights.Slices)
        {
            writer.Write((uint)slice.EntryCount);
            Array.ForEach(slice.Pointers, p => writer.Write((uint)p));
            writer.Write(slice.Entries);
        }

        writer.Flush();
        return stream.ToArray();
    }

    [Fact]
    public void TheFileHoldsTheMatrixWhateverSplitTheModelHadInMemory()
    {
        SparseModel model = Make("random-small");
        byte[] unsplit = ModelFile.Serialize(model.Repartition(1));
        foreach (int peCount in new[] { 1, 2, 7, 16 })
        {
            SparseModel moved = model.Repartition(peCount);
            Assert.Equal(peCount, moved.PeCount);
            Assert.Equal(unsplit, ModelFile.Serialize(moved));
            TestModels.AssertEqual(moved, ModelFile.Deserialize(ModelFile.Serialize(moved)).Repartition(peCount));
            for (int l = 0; l < model.Layers.Count; l++)
            {
                Assert.Equal(model.Layers[l].Weights.DecodeIndices(), moved.Layers[l].Weights.DecodeIndices());
            }
        }
    }

    internal static SparseModel Make(string which) => which switch
    {
        "hand-made" => TestModels.HandMade(),
        "random-small" => TestModels.Random(1, [20, 12, 5], 3, 0.2),
        "random-deep" => TestModels.Random(2, [30, 25, 20, 15, 10], 4, 0.1),
        "random-dense-relu-last" => TestModels.Random(3, [8, 8, 8], 2, 1.0, reluLast: true),
        "random-one-pe" => TestModels.Random(4, [100, 3], 1, 0.02),
        _ => throw new ArgumentOutOfRangeException(nameof(which)),
    };
}
