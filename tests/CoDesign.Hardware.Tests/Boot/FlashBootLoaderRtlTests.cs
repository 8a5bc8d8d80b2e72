using System.Globalization;
using CoDesign.Kernels;
using CoDesign.Runtime.Compile;
using CoDesign.Runtime.Link;

namespace CoDesign.Hardware.Tests.Boot;

/// <summary>
/// hardware/rtl/flash_boot_loader.v with the flash chip's model, the bench standing in for the
/// command controller: a flash image (<see cref="FlashImage"/>'s layout) is copied byte for byte into
/// the DMA write path, the Commit request's 12 bytes are handed over and one commit is asked for; a
/// blank flash, a foreign magic, a wrong version and a length beyond the memory copy nothing and commit nothing.
/// </summary>
public class FlashBootLoaderRtlTests
{
    [Fact]
    public void AFlashImageIsCopiedAndItsCommitRequestHandedOver()
    {
        byte[] image = new byte[1000];
        new Random(3).NextBytes(image);
        byte[] header = Header(1, 0, (uint)image.Length, Crc32.Compute(image));

        Result result = Run([.. header, .. image]);

        Assert.Equal(image.Length, result.Writes);
        Assert.Equal(Crc32.Compute(image), result.Crc);
        Assert.Equal(CommitRequest.Encode(0, image.Length, Crc32.Compute(image)), result.Arguments);
        Assert.True(result.Committed);
        Assert.Equal(["0", "1", "1", "100000"], result.Model);
    }

    [Theory]
    [InlineData("blank")]
    [InlineData("magic")]
    [InlineData("version")]
    [InlineData("address")]
    [InlineData("length")]
    public void AFlashWithoutAnImageCopiesAndCommitsNothing(string damage)
    {
        byte[] image = new byte[64];
        byte[] flash = damage switch
        {
            "blank" => [],
            "magic" => [.. "CDSX"u8, .. Header(1, 0, 64, 0)[4..], .. image],
            "version" => [.. Header(2, 0, 64, 0), .. image],
            "address" => [.. Header(1, 4, 64, 0), .. image],
            _ => [.. Header(1, 0, (128 * 1024) + (256 * 1024), 0), .. image],   // beyond 2^18 bytes
        };

        Result result = Run(flash);

        Assert.Equal(0, result.Writes);
        Assert.False(result.Committed);
        Assert.Equal("0", result.Model[0]);
    }

    private static byte[] Header(uint version, uint address, uint length, uint crc)
    {
        byte[] header = [.. "CDSF"u8, .. new byte[16]];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), version);
        CommitRequest.Encode((int)address, (int)length, crc).CopyTo(header, 8);
        return header;
    }

    private sealed record Result(int Writes, uint Crc, byte[] Arguments, bool Committed, string[] Model);

    private static Result Run(byte[] atOffset)
    {
        using var folder = new BenchFolder("flash-boot");
        byte[] flash = new byte[FlashImage.Offset + atOffset.Length];
        flash.AsSpan().Fill(0xFF);
        atOffset.CopyTo(flash, FlashImage.Offset);
        ReadMemHexFile.Write(Path.Combine(folder.Path, "flash_contents.hex"), flash, "flash contents file", powerOnValue: 0xFF);
        List<string> lines = folder.Run("flash_boot_loader_tb", ["spi_flash_reader.v", "flash_boot_loader.v", "crc32_update_byte.v"], null, [HardwareSources.Simulation("spi_flash_model.v")]);
        string[] writes = lines.Single(l => l.StartsWith("WRITES ", StringComparison.Ordinal)).Split(' ');
        byte[] arguments = [.. lines.Where(l => l.StartsWith("ARG ", StringComparison.Ordinal)).Select(l => byte.Parse(l.Split(' ')[2], NumberStyles.HexNumber, CultureInfo.InvariantCulture))];
        return new Result(
            int.Parse(writes[1], CultureInfo.InvariantCulture),
            uint.Parse(writes[2], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
            arguments,
            lines.Any(l => l.StartsWith("COMMIT ", StringComparison.Ordinal)),
            lines.Single(l => l.StartsWith("MODEL ", StringComparison.Ordinal)).Split(' ')[1..]);
    }
}
