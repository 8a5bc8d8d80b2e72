using System.Buffers.Binary;
using CoDesign.Kernels;
using CoDesign.Runtime.Compile;
using CoDesign.TestSupport;

namespace CoDesign.Runtime.Tests;

/// <summary>
/// <see cref="FlashImage"/>: the layout the iCEBreaker's boot loader reads at 1 MiB (magic, version, a
/// Commit request for address 0, then the image), the whole flash with the bitstream before it, and
/// the checks a flash's contents are read back with.
/// </summary>
public class FlashImageTests
{
    private static readonly DeviceProfile Profile = DeviceProfile.EmulatorDefault;

    [Fact]
    public void TheHeaderIsMagicVersionAndTheImagesCommitRequest()
    {
        DeviceImage image = ModelCompiler.Compile(RandomSparseModel.Create(31, [60, 20, 10], 0.3), Profile);
        byte[] memory = image.ToMemoryBytes();

        byte[] encoded = FlashImage.Of(image).Encode();

        Assert.Equal("CDSF"u8.ToArray(), encoded[..4]);
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(encoded.AsSpan(4)));
        Assert.Equal(Link.CommitRequest.Encode(0, image.ImageBytes, image.Checksum), encoded[8..20]);
        Assert.Equal(Crc32.Compute(memory), image.Checksum);
        Assert.Equal(memory, encoded[FlashImage.HeaderSize..]);
    }

    [Fact]
    public void TheWholeFlashIsTheBitstreamErasedBytesAndTheImageAtOneMebibyte()
    {
        DeviceImage image = ModelCompiler.Compile(RandomSparseModel.Create(32, [60, 20, 10], 0.3), Profile);
        byte[] bitstream = [.. Enumerable.Range(0, 5000).Select(i => (byte)(i * 7))];
        FlashImage flashImage = FlashImage.Of(image);

        byte[] flash = flashImage.WithBitstream(bitstream);

        Assert.Equal(0x10_0000, FlashImage.Offset);
        Assert.Equal(FlashImage.Offset + FlashImage.HeaderSize + image.ImageBytes, flash.Length);
        Assert.Equal(bitstream, flash[..bitstream.Length]);
        Assert.All(flash[bitstream.Length..FlashImage.Offset], b => Assert.Equal(0xFF, b));
        FlashImage read = FlashImage.ReadFromFlash(flash, Profile.PersistentBytes);
        Assert.Equal(image.ToMemoryBytes(), read.Image.ToArray());
        Assert.Equal(image.Checksum, read.Checksum);
    }

    [Theory]
    [InlineData(0, "does not start with \"CDSF\"")]          // magic
    [InlineData(4, "version 2")]                             // version
    [InlineData(8, "for address 1")]                         // address
    [InlineData(14, "claims")]                               // length
    [InlineData(FlashImage.HeaderSize + 10, "CRC-32")]       // a byte of the image
    public void DamagedContentsAreRefusedSayingWhichCheckFailed(int at, string expected)
    {
        DeviceImage image = ModelCompiler.Compile(RandomSparseModel.Create(33, [60, 20, 10], 0.3), Profile);
        byte[] flash = FlashImage.Of(image).WithBitstream([1, 2, 3]);
        flash[FlashImage.Offset + at] += 1;

        var error = Assert.Throws<FormatException>(() => FlashImage.ReadFromFlash(flash, Profile.PersistentBytes));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void ABitstreamThatReachesTheImagesOffsetIsRefused()
    {
        DeviceImage image = ModelCompiler.Compile(RandomSparseModel.Create(34, [60, 20, 10], 0.3), Profile);

        var error = Assert.Throws<ArgumentException>(() => FlashImage.Of(image).WithBitstream(new byte[FlashImage.Offset + 1]));

        Assert.Contains("starts at flash offset", error.Message);
    }
}
