using System.CommandLine;
using CoDesign.Compression;
using CoDesign.Model.Datasets;
using CoDesign.Model.Files;
using Spectre.Console;

namespace CoDesign.Cli;

/// <summary><c>codesign train</c>: trains the dense float MLP on Fashion-MNIST and saves a checkpoint for <c>compress</c>.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out", "-o") { Description = "Dense checkpoint to write (.cdsd).", DefaultValueFactory = _ => "fashion-mnist-dense.cdsd" };
        var hidden = new Option<int[]>("--hidden") { Description = "Hidden layer sizes.", DefaultValueFactory = _ => [256, 128], AllowMultipleArgumentsPerToken = true }.EachInRange(1, 4096);
        var epochs = new Option<int>("--epochs") { Description = "Training epochs.", DefaultValueFactory = _ => new CompressionOptions().DenseTraining.Epochs }.InRange(1, 1000);
        var seed = new Option<int>("--seed") { Description = "Random seed (runs are deterministic for a seed).", DefaultValueFactory = _ => 1 };
        var data = new Option<string?>("--data") { Description = $"Training images: a dataset pack (.cdsp), an IDX images file, an image folder (one subfolder per class), or a folder with the Fashion-MNIST IDX files (default {FashionMnist.DefaultDirectory})." };
        var testData = new Option<string?>("--test-data") { Description = "Images to report accuracy on, of the same kinds (default: Fashion-MNIST's test files, or every sixth image of --data held out)." };
        var command = new Command("train", "Train the dense float MLP (both cores, SIMD) and save a checkpoint.") { output, hidden, epochs, seed, data, testData };
        command.SetAction(parse => CommandFailure.Guard(() =>
        {
            // A path that cannot be written fails now, not after minutes of training.
            OutputFile.Check(parse.GetValue(output)!, "--out");
            (LabeledImages train, LabeledImages test, string described) = LabeledData.LoadTrainingAndEvaluation(parse.GetValue(data), parse.GetValue(testData));
            AnsiConsole.MarkupLine($"data: {Markup.Escape(described)}");
            int[] sizes = [train.ImageSize, .. parse.GetValue(hidden)!, LabeledData.ClassCount(train, test)];
            DenseMlp model = DenseMlp.CreateRandom(sizes, parse.GetValue(seed));
            TrainingOptions options = new CompressionOptions().DenseTraining with { Epochs = parse.GetValue(epochs), Seed = parse.GetValue(seed) };
            TrainingSummary summary = TrainingDisplay.Run($"train {string.Join("-", sizes)}", report => MlpTrainer.Train(model, train, options, progress: report));
            double accuracy = model.Accuracy(test);
            DenseModelFile.Write(model, parse.GetValue(output)!, new Dictionary<string, string>
            {
                ["layer_sizes"] = string.Join(",", sizes),
                ["seed"] = parse.GetValue(seed).ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["epochs"] = options.Epochs.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["dense_accuracy"] = accuracy.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture),
            });
            AnsiConsole.MarkupLine($"dense test accuracy [bold]{accuracy:0.0000}[/] after {summary.Elapsed.TotalSeconds:0} s; wrote {Markup.Escape(parse.GetValue(output)!)}");
            return 0;
        }));
        return command;
    }
}
