namespace CoDesign.Hardware;

/// <summary>Programs a board's SPI flash through the board's programmer tool: its bitstream, and a model image beside it.</summary>
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

        return Run(board, [.. board.FlashArguments, bitstream]);
    }

    /// <summary>
    /// Writes <paramref name="bytes"/> into the board's SPI flash from <paramref name="offset"/> on (a
    /// model's flash image beside the bitstream: <see cref="Runtime.Compile.FlashImage"/>), with
    /// openFPGALoader's <c>-f -o</c>, and returns the tool's output. Throws <see cref="IOException"/> as
    /// <see cref="Flash"/> does.
    /// </summary>
    public static string WriteAt(Board board, int offset, byte[] bytes)
    {
        string file = Path.Combine(Path.GetTempPath(), $"codesign-flash-{Guid.NewGuid():N}.bin");
        File.WriteAllBytes(file, bytes);
        try
        {
            return Run(board, [.. board.FlashArguments, "-f", "-o", offset.ToString(System.Globalization.CultureInfo.InvariantCulture), file]);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string Run(Board board, IReadOnlyList<string> arguments)
    {
        (int exit, string output) result;
        try
        {
            result = ExternalTool.Run(board.FlashTool, arguments, Directory.GetCurrentDirectory(), TimeSpan.FromMinutes(3));
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
