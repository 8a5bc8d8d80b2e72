using System.CommandLine;
using System.Globalization;
using CoDesign.Compression;
using CoDesign.Compression.Onnx;
using CoDesign.Model.Files;
using Spectre.Console;

namespace CoDesign.Cli;

/// <summary>
/// <c>codesign import model.onnx -o dense.cdsd</c>: reads an MLP exported to ONNX (PyTorch, TensorFlow,
/// Keras) into the dense checkpoint <c>train</c> writes, so <c>compress</c> and <c>infer</c> take it.
/// </summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        var source = new Argument<string>("model") { Description = "The ONNX file of an MLP (Gemm or MatMul + Add layers, Relu between them; opsets 9 to 17)." };
        var output = new Option<string>("--output", "-o") { Description = "Dense checkpoint to write (.cdsd).", Required = true };
        var scale = new Option<double>("--input-scale")
        {
            Description = "The network's input is (pixel - mean) * scale; 1/255 is torchvision's ToTensor, 1 raw pixels, 1/(255 s) after Normalize(m, s).",
            DefaultValueFactory = _ => InputScaling.PixelsOver255.Scale,
        };
        var mean = new Option<double>("--input-mean") { Description = "Subtracted from each pixel (0..255) before the scale; 255 m after torchvision's Normalize(m, s).", DefaultValueFactory = _ => 0 };
        var command = new Command("import", "Import an MLP from an ONNX file into a dense checkpoint (.cdsd) for compress.") { source, output, scale, mean };
        command.SetAction(parse => CommandFailure.Guard(() => Run(parse.GetValue(source)!, parse.GetValue(output)!, new InputScaling(parse.GetValue(scale), parse.GetValue(mean)))));
        return command;
    }

    private static int Run(string sourcePath, string outputPath, InputScaling scaling)
    {
        scaling.Validate();
        OutputFile.Check(outputPath, "--output");
        OnnxImport imported = OnnxImporter.Import(sourcePath, scaling);
        DenseMlp model = imported.Model;
        string sizes = string.Join("-", model.LayerSizes);
        DenseModelFile.Write(model, outputPath, new Dictionary<string, string>
        {
            ["layer_sizes"] = string.Join(",", model.LayerSizes),
            ["imported_from"] = Path.GetFileName(sourcePath),
            ["onnx_opset"] = imported.Opset.ToString(CultureInfo.InvariantCulture),
            ["onnx_producer"] = imported.Producer,
            ["input_scaling"] = scaling.ToString(),
        });
        foreach (string note in imported.Notes)
        {
            AnsiConsole.MarkupLine($"note: {Markup.Escape(note)}");
        }

        AnsiConsole.MarkupLine(
            $"imported [bold]{sizes}[/] ({model.LayerCount} layers, {model.WeightCount:N0} weights) from {Markup.Escape(sourcePath)} " +
            $"(opset {imported.Opset}{(imported.Producer.Length > 0 ? $", {Markup.Escape(imported.Producer)}" : string.Empty)}); wrote {Markup.Escape(outputPath)}");
        return 0;
    }
}
