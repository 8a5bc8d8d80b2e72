using System.Buffers.Binary;
using System.Text;
using CoDesign.Kernels;

namespace CoDesign.Model.Tests;

/// <summary>
/// A test-side view of a .cdsm file image, written from the format description in ModelFile's documentation:
/// split into sections, change them, and join them again with fresh checksums, so tests can build files
/// that pass every checksum yet break a rule.
/// </summary>
public sealed class ModelFileImage
{
    public ushort Version { get; set; } = 1;

    public uint? SectionCountOverride { get; set; }

    public List<(string Tag, byte[] Payload)> Sections { get; } = [];

    public static ModelFileImage Split(byte[] file)
    {
        Assert.Equal("CDSM"u8.ToArray(), file[..4]);
        var image = new ModelFileImage { Version = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(4)) };
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(8));
        int offset = 16;
        for (uint s = 0; s < count; s++)
        {
            string tag = Encoding.ASCII.GetString(file, offset, 4);
            int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(offset + 4));
            image.Sections.Add((tag, file[(offset + 8)..(offset + 8 + length)]));
            offset += 8 + length + 4;
        }

        Assert.Equal(file.Length, offset);
        return image;
    }

    /// <summary>File offset of the payload of section <paramref name="index"/> in the joined image.</summary>
    public int PayloadOffset(int index) => 16 + Sections.Take(index).Sum(s => 12 + s.Payload.Length) + 8;

    public byte[] Join()
    {
        var file = new List<byte>();
        var header = new byte[16];
        "CDSM"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(4), Version);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), SectionCountOverride ?? (uint)Sections.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(12), Crc32.Compute(header.AsSpan(0, 12)));
        file.AddRange(header);
        var word = new byte[4];
        foreach ((string tag, byte[] payload) in Sections)
        {
            file.AddRange(Encoding.ASCII.GetBytes(tag));
            BinaryPrimitives.WriteUInt32LittleEndian(word, (uint)payload.Length);
            file.AddRange(word);
            file.AddRange(payload);
            BinaryPrimitives.WriteUInt32LittleEndian(word, Crc32.Compute(payload));
            file.AddRange(word);
        }

        return [.. file];
    }
}
