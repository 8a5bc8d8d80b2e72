using System.CommandLine;
using CoDesign.Hardware;
using Spectre.Console;

namespace CoDesign.Cli;

/// <summary><c>codesign flash</c>: programs a board with its bitstream (openFPGALoader or iceprog).</summary>
internal static class FlashCommand
{
    public static Command Create()
    {
        var board = new Option<string>("--board", "-b") { Description = $"Board: {string.Join(", ", Board.All.Select(b => b.Name))}.", Required = true };
        var bitstream = new Option<string?>("--bitstream") { Description = "Bitstream to flash (default: bitstreams/<board>/<board>.bin)." };
        var command = new Command("flash", "Program an FPGA board with the accelerator's bitstream.") { board, bitstream };
        command.SetAction(parse => CommandFailure.Guard(() =>
        {
            Board target = Board.Find(parse.GetValue(board)!);
            string output = BoardFlasher.Flash(target, parse.GetValue(bitstream));
            AnsiConsole.MarkupLine($"flashed the {Markup.Escape(target.Description)}");
            Console.Error.WriteLine(output.Trim());
            return 0;
        }));
        return command;
    }
}
