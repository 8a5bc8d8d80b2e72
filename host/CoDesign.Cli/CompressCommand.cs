using System.CommandLine;
using CoDesign.Compression;
using CoDesign.Model;
using CoDesign.Model.Datasets;
using CoDesign.Model.Files;
using Spectre.Console;

namespace CoDesign.Cli;

/// <summary>
/// <c>codesign compress</c>: prunes a dense checkpoint by magnitude with retraining, shares weights
/// through a 16-entry codebook per layer, quantizes to integers and writes a .cdsm model. Without
/// <c>--density</c> it picks each layer's density from a sensitivity analysis on the user's data, for
/// at most 10 % of the weights overall.
/// </summary>
internal static class CompressCommand
{
    /// <summary>How far below the dense accuracy the compressed model may land and still meet the goal (1.5 points).</summary>
    private const double AccuracyGoal = 0.015;

    public static Command Create()
    {
        var dense = new Option<string>("--dense") { Description = "Dense checkpoint from `codesign train` or `codesign import` (.cdsd).", Required = true };
        var output = new Option<string>("--out", "-o") { Description = "Compressed model to write (.cdsm).", DefaultValueFactory = _ => "fashion-mnist-mlp.cdsm" };
        var densities = new Option<double[]>("--density")
        {
            Description = $"Target weight density per layer (default: chosen per layer by a sensitivity analysis on --data, {DensityPlanner.DefaultTarget:P1} overall).",
            AllowMultipleArgumentsPerToken = true,
        }.EachAboveUpTo(0, 1);
        var pes = new Option<int>("--pes") { Description = "PEs whose load balance the compression reports; the file holds each layer's matrix, and devices split it over their PEs when a model is compiled for them.", DefaultValueFactory = _ => new CompressionOptions().PeCount }.InRange(1, CommandOptions.MaxPes);
        var data = new Option<string?>("--data") { Description = $"Images to retrain and calibrate on: a dataset pack (.cdsp), an IDX images file, an image folder (one subfolder per class), or a folder with the Fashion-MNIST IDX files (default {FashionMnist.DefaultDirectory})." };
        var testData = new Option<string?>("--test-data") { Description = "Images to report accuracies on, of the same kinds (default: Fashion-MNIST's test files, or every sixth image of --data held out)." };
        var command = new Command("compress", "Prune, share weights (4-bit codebook), quantize (8-bit activations) and write a compressed model.") { dense, output, densities, pes, data, testData };
        command.SetAction(parse => CommandFailure.Guard(() =>
        {
            string outputPath = parse.GetValue(output)!;

            // A path that cannot be written fails now, not after minutes of compression.
            OutputFile.Check(outputPath, "--out");
            DenseMlp network = DenseModelFile.Read(parse.GetValue(dense)!);
            double[]? given = parse.GetValue(densities) is { Length: > 0 } listed ? listed : null;
            if (given is not null && given.Length != network.LayerCount)
            {
                throw new ArgumentException($"--density has {given.Length} values; the network {string.Join("-", network.LayerSizes)} has {network.LayerCount} layers");
            }

            (LabeledImages train, LabeledImages test, string described) = LabeledData.LoadTrainingAndEvaluation(parse.GetValue(data), parse.GetValue(testData));
            CheckFits(network, train, test);
            AnsiConsole.MarkupLine($"data: {Markup.Escape(described)}");
            bool planned = given is null;
            if (given is null)
            {
                DensityPlan plan = DensityPlanner.Plan(network, train);
                given = [.. plan.LayerDensities];
                AnsiConsole.MarkupLine(
                    $"densities per layer [bold]{string.Join(", ", given.Select(d => d.ToString("P1")))}[/], {Overall(network, given):P1} overall, " +
                    $"from each layer's sensitivity on {plan.CalibrationImages:N0} images (dense {plan.DenseAccuracy:0.0000}; each layer alone at its step: {string.Join(", ", plan.LayerAlone.Select(a => a.ToString("0.0000")))})");
            }

            string name = Path.GetFileNameWithoutExtension(outputPath);
            var options = new CompressionOptions { LayerDensities = given, PeCount = parse.GetValue(pes), ModelName = string.IsNullOrWhiteSpace(name) ? "model" : name };
            CompressionResult result = TrainingDisplay.RunCompression("compress", report => ModelCompressor.Compress(network, train, test, options, report));
            if (planned && result.DenseAccuracy - result.IntegerAccuracy > AccuracyGoal)
            {
                // The budget allows no more weights, so the retry buys accuracy with time: smaller pruning steps, longer retraining.
                AnsiConsole.MarkupLine(
                    $"integer accuracy {result.IntegerAccuracy:0.0000} is {(result.DenseAccuracy - result.IntegerAccuracy) * 100:0.00} points below dense, more than the {AccuracyGoal * 100:0.0}-point goal: " +
                    "compressing again with twice the pruning steps and retraining");
                CompressionOptions longer = options.WithLongerRetraining();
                CompressionResult retried = TrainingDisplay.RunCompression("compress (retry)", report => ModelCompressor.Compress(network, train, test, longer, report));
                AnsiConsole.MarkupLine($"retry: integer accuracy {retried.IntegerAccuracy:0.0000}; keeping the {(retried.IntegerAccuracy > result.IntegerAccuracy ? "retry" : "first")}");
                result = retried.IntegerAccuracy > result.IntegerAccuracy ? retried : result;
            }

            ModelFile.Write(result.Model, outputPath);
            double drop = result.DenseAccuracy - result.IntegerAccuracy;
            AnsiConsole.MarkupLine(
                $"density [bold]{result.Density:P2}[/] (per layer {string.Join(", ", result.LayerDensities.Select(d => d.ToString("P1")))}); " +
                $"test accuracy dense {result.DenseAccuracy:0.0000}, shared {result.SharedAccuracy:0.0000}, [bold]integer {result.IntegerAccuracy:0.0000}[/] " +
                $"({drop * 100:0.00} points below dense{(drop <= AccuracyGoal ? string.Empty : $"; [yellow]more than the {AccuracyGoal * 100:0.0}-point goal[/]")}); wrote {Markup.Escape(outputPath)}");
            return 0;
        }));
        return command;
    }

    private static double Overall(DenseMlp network, IReadOnlyList<double> densities) =>
        Enumerable.Range(0, network.LayerCount).Sum(l => densities[l] * network.Weights[l].Length) / network.WeightCount;

    /// <summary>The images must have the network's input size, and every label must be one of its outputs.</summary>
    private static void CheckFits(DenseMlp network, LabeledImages train, LabeledImages test)
    {
        if (train.ImageSize != network.InputSize)
        {
            throw new InvalidDataException($"the network takes {network.InputSize} inputs; the data's images are {train.Width} x {train.Height} = {train.ImageSize} pixels");
        }

        int classes = LabeledData.ClassCount(train, test);
        if (classes > network.OutputSize)
        {
            throw new InvalidDataException($"the data has labels up to {classes - 1}; the network has {network.OutputSize} outputs (classes 0..{network.OutputSize - 1})");
        }
    }
}
