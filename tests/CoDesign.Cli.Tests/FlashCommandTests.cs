using CoDesign.Hardware;
using CoDesign.Runtime.Compile;

namespace CoDesign.Cli.Tests;

/// <summary>
/// <c>codesign flash --board icebreaker --model m.cdsm [-o flash.bin]</c>: the flash's contents written
/// to a file (the committed bitstream, then the model's flash image at 1 MiB), and one error line for
/// a bad model, a bad board, a board without flash boot, and no board plugged in.
/// </summary>
public class FlashCommandTests
{
    [Fact]
    public void TheFlashContentsAreTheBitstreamThenTheModelsImage()
    {
        string flash = Path.Combine(Path.GetDirectoryName(CodesignProcess.TempFile("x", ""))!, "flash.bin");

        (int exit, string output, string error) = CodesignProcess.Run("flash", "--board", "icebreaker", "--model", CodesignProcess.ShippedModel, "-o", flash);

        Assert.True(exit == 0, error);
        byte[] contents = File.ReadAllBytes(flash);
        byte[] bitstream = File.ReadAllBytes(Board.IceBreaker.Bitstream);
        Assert.Equal(bitstream, contents[..bitstream.Length]);
        FlashImage image = FlashImage.ReadFromFlash(contents, 128 * 1024);
        Assert.Contains($"{image.Length:N0}-byte image, CRC-32 0x{image.Checksum:X8}", output);
    }

    [Theory]
    [InlineData("model", 2, "truncated")]
    [InlineData("board", 2, "unknown board 'pico'")]
    [InlineData("hx8k", 2, "does not load a model from flash")]
    [InlineData("unplugged", 3, "openFPGALoader")]   // "could not program the iCEBreaker", or "cannot run" where it is not installed
    public void BadInputAndAMissingBoardAreOneErrorLine(string what, int code, string expected)
    {
        string broken = CodesignProcess.TempFile("broken.cdsm", "not a model");
        string[] args = what switch
        {
            "model" => ["flash", "--board", "icebreaker", "--model", broken],
            "board" => ["flash", "--board", "pico", "--model", CodesignProcess.ShippedModel],
            "hx8k" => ["flash", "--board", "hx8k-breakout", "--model", CodesignProcess.ShippedModel],
            _ => ["flash", "--board", "icebreaker", "--model", CodesignProcess.ShippedModel],
        };

        (int exit, _, string error) = CodesignProcess.Run(args);

        Assert.Equal(code, exit);
        string line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line);
        Assert.Contains(expected, line);
    }
}
