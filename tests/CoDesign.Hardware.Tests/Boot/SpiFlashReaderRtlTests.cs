using System.Globalization;

namespace CoDesign.Hardware.Tests.Boot;

/// <summary>
/// hardware/rtl/spi_flash_reader.v against the flash chip's model (hardware/sim/spi_flash_model.v) at
/// 12 MHz: it wakes the chip (0xAB), waits tRES1, sends READ (0x03) with the address and streams the
/// chip's bytes, which must equal the contents file; a read stopped inside a byte ends cleanly; a
/// reader that waits less than tRES1 after the wake-up is caught by the model.
/// </summary>
public class SpiFlashReaderRtlTests
{
    private const int FlashSize = 2 * 1024 * 1024;
    private const int Address = 0x10_0000;
    private const int SecondOffset = 1000;

    [Fact]
    public void ReadsTheChipsBytesFromTheAddressAfterWakingIt()
    {
        byte[] flash = Contents(seed: 1);
        (List<string> lines, string[] model) = Run(flash, new Dictionary<string, string> { ["COUNT"] = "300", ["STOP_AFTER"] = "5" });

        Assert.Equal(flash.AsSpan(Address, 300).ToArray(), Bytes(lines, 0));
        Assert.Equal(flash.AsSpan(Address + SecondOffset, 5).ToArray(), Bytes(lines, 1));
        // No errors; one wake and one read per pass; the last read's address.
        Assert.Equal(["0", "2", "2", (Address + SecondOffset).ToString("x6", CultureInfo.InvariantCulture)], model);
        // SCK at half the clock; the chip deselected at the end.
        Assert.Contains("SCK 2 CS 1", lines);
    }

    [Fact]
    public void AReadSoonerThanTRes1AfterTheWakeUpIsAnErrorOfTheModel()
    {
        (_, string[] model) = Run(Contents(seed: 2), new Dictionary<string, string> { ["COUNT"] = "4", ["WAKE_CYCLES"] = "5" });

        Assert.Equal("2", model[0]);   // both passes read 6 cycles (0.5 us) after the wake-up
    }

    /// <summary>Random bytes at the address and around it (some 0xFF, which the hex file leaves out), erased elsewhere.</summary>
    private static byte[] Contents(int seed)
    {
        var flash = new byte[Address + 4096];
        flash.AsSpan().Fill(0xFF);
        var random = new Random(seed);
        random.NextBytes(flash.AsSpan(Address - 16));
        for (int i = 0; i < 40; i++)
        {
            flash[Address + random.Next(2048)] = 0xFF;
        }

        return flash;
    }

    private static (List<string> Lines, string[] Model) Run(byte[] flash, Dictionary<string, string> parameters)
    {
        using var folder = new BenchFolder("spi-flash");
        ReadMemHexFile.Write(Path.Combine(folder.Path, "flash_contents.hex"), flash, "flash contents file", powerOnValue: 0xFF);
        parameters["ADDRESS"] = Address.ToString(CultureInfo.InvariantCulture);
        parameters["SECOND_OFFSET"] = SecondOffset.ToString(CultureInfo.InvariantCulture);
        parameters["FLASH_SIZE"] = FlashSize.ToString(CultureInfo.InvariantCulture);
        List<string> lines = folder.Run("spi_flash_reader_tb", ["spi_flash_reader.v"], parameters, [HardwareSources.Simulation("spi_flash_model.v")]);
        return (lines, lines.Single(l => l.StartsWith("MODEL ", StringComparison.Ordinal)).Split(' ')[1..]);
    }

    private static byte[] Bytes(List<string> lines, int pass) =>
        [.. lines.Where(l => l.StartsWith($"BYTE {pass} ", StringComparison.Ordinal)).Select(l => byte.Parse(l.Split(' ')[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture))];
}
