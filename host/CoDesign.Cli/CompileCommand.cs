using System.CommandLine;
using CoDesign.Hardware;
using CoDesign.Model;
using CoDesign.Model.Files;
using CoDesign.Runtime.Compile;
using Spectre.Console;

namespace CoDesign.Cli;

/// <summary>
/// <c>codesign compile</c>: compiles a model into the device image a board's build would receive, and
/// writes it as the weight memory's initialisation file, which <c>hardware/build-bitstream.sh --model</c>
/// bakes into the bitstream.
/// </summary>
internal static class CompileCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "Compressed model file (.cdsm)." };
        var board = new Option<string>("--board", "-b") { Description = $"Board to compile for: {string.Join(", ", Board.All.Select(b => b.Name))}.", Required = true };
        var hex = new Option<string>("--hex") { Description = "Where to write the image, one hex byte per line from address 0 ($readmemh).", Required = true };
        var command = new Command("compile", "Compile a model into a board's device image and write it as a weight-memory initialisation file.") { model, board, hex };
        command.SetAction(parse => CommandFailure.Guard(() => Run(parse.GetValue(model)!, Board.Find(parse.GetValue(board)!), parse.GetValue(hex)!)));
        return command;
    }

    private static int Run(string modelPath, Board board, string hexPath)
    {
        OutputFile.Check(hexPath, "--hex");
        SparseModel model = ModelFile.Read(modelPath);
        DeviceImage image;
        try
        {
            image = ModelCompiler.Compile(model, board.Profile);
        }
        catch (ArgumentException e)
        {
            // Deploy would refuse it too: say which board and how much room it has.
            throw new ArgumentException($"{e.Message}; it cannot be baked into the {board.Description} build", e);
        }

        ReadMemHexFile.Write(hexPath, image.ToMemoryBytes(), "weight-memory file");
        AnsiConsole.MarkupLine(
            $"[bold]{Markup.Escape(image.ModelName)}[/] for the {Markup.Escape(board.Description)}: {image.ImageBytes:N0} of {board.WeightBytes:N0} bytes of weight memory, " +
            $"CRC-32 0x{image.Checksum:X8}, written to {Markup.Escape(hexPath)}");
        return 0;
    }
}
