using System.CommandLine;
using CoDesign.Kernels;
using CoDesign.Model;
using CoDesign.Runtime;
using CoDesign.Runtime.Compile;
using Spectre.Console;

namespace CoDesign.Cli;

/// <summary><c>codesign inspect</c>: what a compressed model holds: density, codebooks, bytes, per-PE load balance.</summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "Compressed model file (.cdsm).", DefaultValueFactory = _ => ShippedModel.Path };
        var pes = new Option<int>("--pes") { Description = "PE count to show the load balance for.", DefaultValueFactory = _ => DeviceProfile.EmulatorDefault.PeCount }.InRange(1, CommandOptions.MaxPes);
        var command = new Command("inspect", "Show a compressed model's layers, codebooks, sizes and per-PE load balance.") { model, pes };
        command.SetAction(parse => CommandFailure.Guard(() => Run(parse.GetValue(model)!, parse.GetValue(pes))));
        return command;
    }

    private static int Run(string path, int peCount)
    {
        SparseModel original = ModelFile.Read(path);
        SparseModel model = original.Repartition(peCount);
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(model.Name)}[/]  ({Markup.Escape(path)}, {new FileInfo(path).Length:N0} bytes, format v{ModelFile.Version}, stored for {original.PeCount} PEs)");
        foreach ((string key, string value) in model.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            AnsiConsole.MarkupLine($"  {Markup.Escape(key)}: {Markup.Escape(value)}");
        }

        var layers = new Table().Border(TableBorder.Rounded)
            .AddColumns("layer", "shape", "nonzeros", "density", "entries (padding)", "output", $"entries per PE ({peCount} PEs)", "max / mean");
        long nonzeros = 0, weights = 0;
        for (int l = 0; l < model.Layers.Count; l++)
        {
            SparseLayer layer = model.Layers[l];
            long entries = layer.Weights.EntryCount;
            long nz = layer.Weights.NonzeroCount;
            nonzeros += nz;
            weights += (long)layer.Rows * layer.Cols;
            int[] perPe = [.. layer.Weights.Slices.Select(s => s.EntryCount)];
            double balance = perPe.Max() / Math.Max(1e-9, perPe.Average());
            string output = layer.Output == LayerOutput.Raw32 ? "raw int32" : $"ReLU >> {layer.OutputShift} -> u8";
            layers.AddRow($"{l}", $"{layer.Rows} x {layer.Cols}", $"{nz:N0}", $"{layer.Weights.Density:P2}", $"{entries:N0} ({entries - nz:N0})", output, string.Join(" ", perPe), $"{balance:0.000}");
        }

        AnsiConsole.Write(layers);
        AnsiConsole.MarkupLine($"overall weight density [bold]{nonzeros / (double)weights:P2}[/] ({nonzeros:N0} of {weights:N0})");

        var codebooks = new Table().Border(TableBorder.Rounded).AddColumn("layer").AddColumn("weight unit").AddColumn("codebook (index 0..15, fixed point)").AddColumn("max CSD steps");
        for (int l = 0; l < model.Layers.Count; l++)
        {
            SparseLayer layer = model.Layers[l];
            codebooks.AddRow($"{l}", $"{layer.WeightScale:G4}", string.Join(" ", layer.Codebook), $"{layer.Codebook.Max(c => ShiftAddMultiplier.Steps(c))}");
        }

        AnsiConsole.Write(codebooks);
        DeviceProfile profile = DeviceProfile.EmulatorDefault with { PeCount = peCount };
        // The image's size whatever the emulator's memory: a larger model is not refused, infer runs it by a plan.
        DeviceImage image = ModelCompiler.Compile(model, profile with { PersistentBytes = int.MaxValue });
        AnsiConsole.MarkupLine(
            $"device image for {peCount} PEs on a {profile.BusBits}-bit bus: [bold]{image.ImageBytes:N0} bytes[/] in {image.Chunks.Count} chunks " +
            $"(pointers at {string.Join("/", image.Layers.Select(l => l.PointerBits))} bits); scratch {image.ScratchBytes:N0} bytes");
        if (image.ImageBytes > profile.PersistentBytes)
        {
            AnsiConsole.MarkupLine(
                $"more than the emulator's {profile.PersistentBytes:N0} bytes of weight memory: `infer` runs it by a memory plan in column blocks " +
                $"(`codesign plan -m {Markup.Escape(path)} --device emulator` shows it)");
        }

        return 0;
    }
}
