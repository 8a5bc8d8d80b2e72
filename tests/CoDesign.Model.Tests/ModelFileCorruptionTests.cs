using System.Buffers.Binary;

namespace CoDesign.Model.Tests;

/// <summary>
/// Damaged, foreign and inconsistent model files: every one is refused with a ModelFormatException (never
/// another exception, never a model) whose message names the source and says what and where.
/// </summary>
public sealed class ModelFileCorruptionTests
{
    private const string Source = "fixture.cdsm";

    private static readonly byte[] Good = ModelFile.Serialize(TestModels.HandMade());

    [Fact]
    public void EveryTruncationIsRefused()
    {
        for (int length = 0; length < Good.Length; length++)
        {
            ModelFormatException e = Refuse(Good[..length], $"truncated to {length} bytes");
            Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
            if (length >= 16)
            {
                Assert.Contains("offset", e.Message, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void EverySingleBitFlipIsRefused()
    {
        string[] meaningful = ["checksum", "corrupted", "truncated", "not a CoDesign model", "unexpected section"];
        var kinds = new HashSet<string>();
        for (int position = 0; position < Good.Length; position++)
        {
            for (int bit = 0; bit < 8; bit++)
            {
                byte[] bad = (byte[])Good.Clone();
                bad[position] ^= (byte)(1 << bit);
                ModelFormatException e = Refuse(bad, $"bit {bit} of byte {position} flipped");
                string? kind = meaningful.FirstOrDefault(k => e.Message.Contains(k, StringComparison.Ordinal));
                Assert.True(kind is not null, $"byte {position} bit {bit}: unhelpful message: {e.Message}");
                kinds.Add(kind);
                if (position >= 16)
                {
                    Assert.Contains("offset", e.Message, StringComparison.Ordinal);
                }
            }
        }

        // Payload and checksum bytes dominate the file, so checksum failures must be among the reports.
        Assert.Contains("checksum", kinds);
    }

    [Fact]
    public void AFlippedPayloadBitIsAChecksumErrorThatNamesTheSection()
    {
        ModelFileImage image = ModelFileImage.Split(Good);
        int payload = image.PayloadOffset(1); // the first LAYR
        byte[] bad = (byte[])Good.Clone();
        bad[payload + 3] ^= 0x10;
        ModelFormatException e = Refuse(bad, "flipped payload bit");
        Assert.Contains("checksum mismatch in section 1 ('LAYR'", e.Message, StringComparison.Ordinal);
        Assert.Contains($"offset {payload}", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(0xFFFF)]
    public void AnotherVersionIsRefusedByVersion(int version)
    {
        ModelFileImage image = ModelFileImage.Split(Good);
        image.Version = (ushort)version;
        ModelFormatException e = Refuse(image.Join(), "other version");
        Assert.Contains($"version {version}", e.Message, StringComparison.Ordinal);
        Assert.Contains($"version {ModelFile.Version}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AWrongMagicIsRefused()
    {
        byte[] bad = (byte[])Good.Clone();
        bad[3] = (byte)'X';
        Assert.Contains("not a CoDesign model", Refuse(bad, "wrong magic").Message, StringComparison.Ordinal);

        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52, 0, 0];
        Assert.Contains("not a CoDesign model", Refuse(png, "a PNG file").Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(100)]
    public void TrailingBytesAfterEndAreRefused(int extra)
    {
        byte[] bad = [.. Good, .. new byte[extra]];
        ModelFormatException e = Refuse(bad, "trailing garbage");
        Assert.Contains($"{extra} unexpected bytes after the END section at offset {Good.Length}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingEndSectionIsRefused()
    {
        ModelFileImage image = ModelFileImage.Split(Good);
        image.Sections.RemoveAt(image.Sections.Count - 1);
        Assert.Contains("no END section", Refuse(image.Join(), "no END").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MoreSectionsPromisedThanPresentIsATruncation()
    {
        // END removed and the count kept: the file ends where section 3 should start.
        ModelFileImage image = ModelFileImage.Split(Good);
        image.Sections.RemoveAt(image.Sections.Count - 1);
        image.SectionCountOverride = 4;
        byte[] bad = image.Join();
        ModelFormatException e = Refuse(bad, "section count too high");
        Assert.Contains($"truncated at offset {bad.Length}: section 3 of 4", e.Message, StringComparison.Ordinal);

        // The count one too high with END present: END is then not the last section.
        image = ModelFileImage.Split(Good);
        image.SectionCountOverride = (uint)image.Sections.Count + 1;
        e = Refuse(image.Join(), "END before the promised end");
        Assert.Contains("section 3 ('END ')", e.Message, StringComparison.Ordinal);
        Assert.Contains("unexpected section", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("LAYR-first")]
    [InlineData("END-early")]
    [InlineData("unknown-tag")]
    [InlineData("two-META")]
    public void SectionsOutOfOrderAreRefused(string change)
    {
        ModelFileImage image = ModelFileImage.Split(Good);
        List<(string Tag, byte[] Payload)> s = image.Sections;
        switch (change)
        {
            case "LAYR-first":
                (s[0], s[1]) = (s[1], s[0]);
                break;
            case "END-early":
                s.Insert(1, ("END ", []));
                break;
            case "unknown-tag":
                s.Insert(1, ("XTRA", [1, 2, 3]));
                break;
            default:
                s.Insert(1, s[0]);
                break;
        }

        ModelFormatException e = Refuse(image.Join(), change);
        Assert.Contains("unexpected section", e.Message, StringComparison.Ordinal);

        // A LAYR before any META is out of place at once; otherwise the inserted section 1 is.
        int index = change == "LAYR-first" ? 0 : 1;
        Assert.Contains($"section {index} ('{s[index].Tag}') at offset {image.PayloadOffset(index) - 8}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExtraBytesInsideASectionAreRefused()
    {
        ModelFileImage image = ModelFileImage.Split(Good);
        image.Sections[0] = ("META", [.. image.Sections[0].Payload, 0]);
        ModelFormatException e = Refuse(image.Join(), "META with an extra byte");
        Assert.Contains("1 unread bytes", e.Message, StringComparison.Ordinal);
        Assert.Contains("'META'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("shift-40", "shift")]
    [InlineData("codebook-0-nonzero", "codebook entry 0")]
    [InlineData("output-kind-7", "unknown output kind 7")]
    [InlineData("zero-pes", "0 PEs")]
    [InlineData("zero-rows", "inconsistent")]
    [InlineData("pointer-past-entries", "more than the allowed")]
    [InlineData("entry-beyond-rows", "CCS is inconsistent")]
    [InlineData("first-pointer-not-zero", "CCS is inconsistent")]
    [InlineData("cols-do-not-chain", "do not fit together")]
    [InlineData("layer-truncated-inside", "section ends while reading")]
    public void InconsistentLayersWithGoodChecksumsAreRefused(string change, string expected)
    {
        ModelFileImage image = ModelFileImage.Split(Good);
        byte[] layer = (byte[])image.Sections[1].Payload.Clone(); // layer 0: 4 x 3, 2 PEs
        const int rows = 4;
        int pe0 = 48 + (4 * rows); // u32 entry count, then 4 pointers, then the entries
        switch (change)
        {
            case "shift-40":
                layer[11] = 40;
                break;
            case "codebook-0-nonzero":
                BinaryPrimitives.WriteInt16LittleEndian(layer.AsSpan(16), 5);
                break;
            case "output-kind-7":
                layer[10] = 7;
                break;
            case "zero-pes":
                BinaryPrimitives.WriteUInt16LittleEndian(layer.AsSpan(8), 0);
                break;
            case "zero-rows":
                // rows = 0 and the bias removed, so the rest of the payload still parses.
                BinaryPrimitives.WriteUInt32LittleEndian(layer, 0);
                layer = [.. layer[..48], .. layer[pe0..]];
                break;
            case "pointer-past-entries":
                BinaryPrimitives.WriteUInt32LittleEndian(layer.AsSpan(pe0 + 8), 1000);
                break;
            case "entry-beyond-rows":
                int entryCount = BinaryPrimitives.ReadInt32LittleEndian(layer.AsSpan(pe0));
                Assert.True(entryCount > 0);
                layer[pe0 + 4 + 16] = 0xF1; // first entry of PE 0: (v=1, z=15) on a PE of 2 rows
                break;
            case "first-pointer-not-zero":
                Assert.Equal(0, BinaryPrimitives.ReadInt32LittleEndian(layer.AsSpan(pe0 + 4)));
                BinaryPrimitives.WriteUInt32LittleEndian(layer.AsSpan(pe0 + 4), 1);
                break;
            case "cols-do-not-chain":
                // Layer 0 takes 3 inputs; the META section now says 4.
                byte[] meta = (byte[])image.Sections[0].Payload.Clone();
                int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(meta);
                BinaryPrimitives.WriteUInt32LittleEndian(meta.AsSpan(2 + nameLength), 4);
                image.Sections[0] = ("META", meta);
                break;
            default:
                layer = layer[..^1];
                break;
        }

        image.Sections[1] = ("LAYR", layer);
        ModelFormatException e = Refuse(image.Join(), change);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        if (change != "cols-do-not-chain")
        {
            Assert.Contains($"section 1 ('LAYR') at offset {image.PayloadOffset(1) - 8}", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TheUntouchedFixtureIsAccepted()
    {
        // The refusal tests above all start from this file; it must be good.
        TestModels.AssertEqual(TestModels.HandMade().Repartition(1), ModelFile.Deserialize(Good, Source));
        TestModels.AssertEqual(TestModels.HandMade().Repartition(1), ModelFile.Deserialize(ModelFileImage.Split(Good).Join(), Source));
    }

    private static ModelFormatException Refuse(byte[] bytes, string what)
    {
        SparseModel? model = null;
        Exception? thrown = null;
        try
        {
            model = ModelFile.Deserialize(bytes, Source);
        }
        catch (Exception e)
        {
            thrown = e;
        }

        Assert.True(model is null, $"{what}: the file was accepted");
        ModelFormatException formatError = Assert.IsType<ModelFormatException>(thrown);
        Assert.StartsWith(Source + ":", formatError.Message, StringComparison.Ordinal);
        return formatError;
    }
}
