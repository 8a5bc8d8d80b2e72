namespace CoDesign.Hardware;

/// <summary>Programs a board with its bitstream through the board's programmer tool.</summary>
public static class BoardFlasher
{
    /// <summary>
    /// Flashes <paramref name="bitstream"/> (default: the board's committed one) and returns the
    /// tool's output. Throws <see cref="IOException"/> saying so when the tool is missing or finds no
    /// board, with the tool's own words.
    /// </summary>
    public static string Flash(Board board, string? bitstream = null)
    {
        bitstream ??= board.Bitstream;
        if (!File.Exists(bitstream))
        {
            throw new FileNotFoundException($"bitstream {bitstream} is missing; build it with hardware/build-bitstream.sh {board.Name}", bitstream);
        }

        (int exit, string output) result;
        try
        {
            result = ExternalTool.Run(board.FlashTool, [.. board.FlashArguments, bitstream], Directory.GetCurrentDirectory(), TimeSpan.FromMinutes(3));
        }
        catch (InvalidOperationException e)
        {
            throw new IOException($"cannot run {board.FlashTool}: install it (sudo apt-get install openfpgaloader fpga-icestorm). {e.Message}", e);
        }

        if (result.exit != 0)
        {
            throw new IOException(
                $"{board.FlashTool} could not program the {board.Description} (exit {result.exit}); is the board plugged in, and may this user access USB devices (udev rules, plugdev group)? It said:\n{result.output.Trim()}");
        }

        return result.output;
    }
}
