using System.CommandLine;
using CoDesign.Compression;
using CoDesign.Model;
using CoDesign.Model.Datasets;
using CoDesign.Model.Files;
using Spectre.Console;

namespace CoDesign.Cli;

/// <summary>
/// <c>codesign compress</c>: prunes a dense checkpoint by magnitude with retraining, shares weights
/// through a 16-entry codebook per layer, quantizes to integers and writes a .cdsm model.
/// </summary>
internal static class CompressCommand
{
    public static Command Create()
    {
        var dense = new Option<string>("--dense") { Description = "Dense checkpoint from `codesign train` (.cdsd).", Required = true };
        var output = new Option<string>("--out", "-o") { Description = "Compressed model to write (.cdsm).", DefaultValueFactory = _ => "fashion-mnist-mlp.cdsm" };
        var densities = new Option<double[]>("--density") { Description = "Target weight density per layer.", DefaultValueFactory = _ => [.. new CompressionOptions().LayerDensities], AllowMultipleArgumentsPerToken = true }.EachAboveUpTo(0, 1);
        var pes = new Option<int>("--pes") { Description = "PEs whose load balance the compression reports; the file holds each layer's matrix, and devices split it over their PEs when a model is compiled for them.", DefaultValueFactory = _ => new CompressionOptions().PeCount }.InRange(1, CommandOptions.MaxPes);
        var data = new Option<string?>("--data") { Description = $"Folder with the Fashion-MNIST IDX files (default {FashionMnist.DefaultDirectory})." };
        var command = new Command("compress", "Prune, share weights (4-bit codebook), quantize (8-bit activations) and write a compressed model.") { dense, output, densities, pes, data };
        command.SetAction(parse => CommandFailure.Guard(() =>
        {
            // A path that cannot be written fails now, not after minutes of compression.
            OutputFile.Check(parse.GetValue(output)!, "--out");
            DenseMlp network = DenseModelFile.Read(parse.GetValue(dense)!);
            LabeledImages train = FashionMnist.LoadTraining(parse.GetValue(data));
            LabeledImages test = FashionMnist.LoadTest(parse.GetValue(data));
            var options = new CompressionOptions { LayerDensities = parse.GetValue(densities)!, PeCount = parse.GetValue(pes) };
            CompressionResult result = TrainingDisplay.RunCompression("compress", report => ModelCompressor.Compress(network, train, test, options, report));
            ModelFile.Write(result.Model, parse.GetValue(output)!);
            AnsiConsole.MarkupLine(
                $"density [bold]{result.Density:P2}[/] (per layer {string.Join(", ", result.LayerDensities.Select(d => d.ToString("P1")))}); " +
                $"test accuracy dense {result.DenseAccuracy:0.0000}, shared {result.SharedAccuracy:0.0000}, [bold]integer {result.IntegerAccuracy:0.0000}[/]; wrote {Markup.Escape(parse.GetValue(output)!)}");
            return 0;
        }));
        return command;
    }
}
