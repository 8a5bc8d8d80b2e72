using System.CommandLine;
using CoDesign.Hardware;
using CoDesign.Model;
using CoDesign.Model.Files;
using CoDesign.Runtime.Compile;
using Spectre.Console;

namespace CoDesign.Cli;

/// <summary>
/// <c>codesign flash</c>: programs a board's SPI flash with its bitstream (openFPGALoader or iceprog)
/// and, with <c>--model</c> on a board that boots from flash (the iCEBreaker), the model's device image
/// at <see cref="FlashImage.Offset"/>, which the build copies into its weight memory at power-up
/// (<c>infer --resident</c> then runs it). <c>-o</c> writes the flash's whole contents to a file instead:
/// what the board's simulation loads (<c>CODESIGN_FLASH</c>).
/// </summary>
internal static class FlashCommand
{
    public static Command Create()
    {
        var board = new Option<string>("--board", "-b") { Description = $"Board: {string.Join(", ", Board.All.Select(b => b.Name))}.", Required = true };
        var bitstream = new Option<string?>("--bitstream") { Description = "Bitstream to flash (default: bitstreams/<board>/<board>.bin)." };
        var model = new Option<string?>("--model", "-m")
        {
            Description = $"Compressed model file (.cdsm) to write beside the bitstream, at flash offset 0x{FlashImage.Offset:X}; the board copies it into its weight memory at power-up (icebreaker only).",
        };
        var output = new Option<string?>("--output", "-o") { Description = "Write the flash's contents (bitstream, then the model's image at its offset) to this file instead of the board." };
        var command = new Command("flash", "Program an FPGA board's flash with the accelerator's bitstream and, with --model, a model it boots with.") { board, bitstream, model, output };
        command.SetAction(parse => CommandFailure.Guard(() =>
            Run(Board.Find(parse.GetValue(board)!), parse.GetValue(bitstream), parse.GetValue(model), parse.GetValue(output))));
        return command;
    }

    private static int Run(Board board, string? bitstreamPath, string? modelPath, string? outputPath)
    {
        if (outputPath is not null)
        {
            OutputFile.Check(outputPath, "--output");
        }

        if (modelPath is not null && !board.BootsFromFlash)
        {
            throw new ArgumentException(
                $"the {board.Name} build does not load a model from flash; bake one into its bitstream instead (hardware/build-bitstream.sh {board.Name} DIR --model {EchoedText.Quote(modelPath)})");
        }

        FlashImage? image = modelPath is null ? null : Compile(modelPath, board);
        string bitstream = bitstreamPath ?? board.Bitstream;
        if (outputPath is not null)
        {
            byte[] contents = InputFile.ReadAllBytes(bitstream, "bitstream", FlashImage.Offset, problem => new ArgumentException($"bitstream {EchoedText.Quote(bitstream)} {problem}"));
            if (image is not null)
            {
                contents = image.WithBitstream(contents);
            }

            OutputFile.WriteAtomically(outputPath, "--output", contents);
            AnsiConsole.MarkupLine($"wrote the {Markup.Escape(board.Description)}'s flash contents to {Markup.Escape(outputPath)}: {contents.Length:N0} bytes{Describe(image)}");
            return 0;
        }

        string said = BoardFlasher.Flash(board, bitstreamPath);
        if (image is not null)
        {
            said += BoardFlasher.WriteAt(board, FlashImage.Offset, image.Encode());
        }

        AnsiConsole.MarkupLine($"flashed the {Markup.Escape(board.Description)}{Describe(image)}");
        Console.Error.WriteLine(said.Trim());
        return 0;
    }

    /// <summary>The model's image as the board's build receives it; a model that does not fit the board is refused.</summary>
    private static FlashImage Compile(string modelPath, Board board)
    {
        SparseModel model = ModelFile.Read(modelPath);
        try
        {
            return FlashImage.Of(ModelCompiler.Compile(model, board.Profile));
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{e.Message}; it cannot be flashed for the {board.Description} build", e);
        }
    }

    private static string Describe(FlashImage? image) => image is null
        ? " (bitstream only)"
        : $" (bitstream, then at 0x{FlashImage.Offset:X} a {FlashImage.HeaderSize}-byte header and the model's {image.Length:N0}-byte image, CRC-32 0x{image.Checksum:X8})";
}
