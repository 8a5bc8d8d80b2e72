using System.Globalization;
using System.Text.RegularExpressions;
using CoDesign.Model.Datasets;
using CoDesign.TestSupport;

namespace CoDesign.Cli.Tests;

/// <summary>
/// Issue 13's "done when": a model PyTorch trained and exported to ONNX, and a folder of labelled
/// images, through import, pack, compress and infer, with the accuracy PyTorch's training reached;
/// and the import's refusals as the user sees them.
/// </summary>
public sealed partial class BringYourOwnModelTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("codesign-byom-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Model(string name) => Path.Combine(AppContext.BaseDirectory, "onnx", name);

    [Fact]
    public void A_PyTorch_model_and_a_folder_of_images_go_through_import_pack_compress_and_infer()
    {
        // The test images as a user keeps them: one PNG per image, a subfolder per class, names sorting in label order.
        LabeledImages test = FashionMnist.LoadTest();
        string images = Path.Combine(_folder, "images");
        for (int label = 0; label < FashionMnist.ClassNames.Count; label++)
        {
            Directory.CreateDirectory(Path.Combine(images, ClassFolder(label)));
        }

        for (int i = 0; i < test.Count; i++)
        {
            File.WriteAllBytes(Path.Combine(images, ClassFolder(test.Labels[i]), $"{i:D5}.png"), ImageFiles.Png(test.Width, test.Height, test.Image(i)));
        }

        string dense = Path.Combine(_folder, "dense.cdsd");
        (int exit, string output, string error) = CodesignProcess.Run("import", Model("torch-mlp-opset17.onnx"), "-o", dense);
        Assert.True(exit == 0, error);
        Assert.Contains("imported 784-64-32-10", output, StringComparison.Ordinal);
        Assert.Contains("Softmax at the output dropped", output, StringComparison.Ordinal);

        string pack = Path.Combine(_folder, "test.cdsp");
        (exit, output, error) = CodesignProcess.Run("pack", images, "-o", pack);
        Assert.True(exit == 0, error);
        Assert.Contains("10,000 records of 28 x 28", output, StringComparison.Ordinal);

        // Retrained and calibrated on the training images (IDX), measured on the pack; no density options.
        string compressed = Path.Combine(_folder, "model.cdsm");
        string training = Directory.GetFiles(FashionMnist.DefaultDirectory, "train-images-idx3-ubyte*").Order(StringComparer.Ordinal).First();
        (exit, output, error) = CodesignProcess.Run("compress", "--dense", dense, "--data", training, "--test-data", pack, "-o", compressed);
        Assert.True(exit == 0, error);
        Match summary = CompressSummary().Match(output);
        Assert.True(summary.Success, output);
        double density = double.Parse(summary.Groups["density"].Value, CultureInfo.InvariantCulture) / 100;
        double denseAccuracy = double.Parse(summary.Groups["dense"].Value, CultureInfo.InvariantCulture);
        double integerAccuracy = double.Parse(summary.Groups["integer"].Value, CultureInfo.InvariantCulture);
        Assert.InRange(density, 0.05, 0.10);
        Assert.InRange(denseAccuracy, 0.85, 1.0);
        Assert.InRange(denseAccuracy - integerAccuracy, -1.0, 0.015);

        (exit, output, error) = CodesignProcess.Run("infer", "-m", compressed, "--data", pack);
        Assert.True(exit == 0, error);
        Assert.Contains("bit-exact", output, StringComparison.Ordinal);
        Match accuracy = InferAccuracy().Match(output);
        Assert.True(accuracy.Success, output);
        Assert.Equal(integerAccuracy, double.Parse(accuracy.Groups[1].Value, CultureInfo.InvariantCulture), 4);
    }

    [Fact]
    public void An_unsupported_op_is_one_error_line_and_writes_nothing()
    {
        byte[] model = File.ReadAllBytes(Model("gemm-attributes-opset11.onnx"));
        string path = Path.Combine(_folder, "sigmoid.onnx");

        // "Relu" and "Tanh" have the same length, so the protobuf stays well formed.
        File.WriteAllBytes(path, Replace(model, "Relu"u8, "Tanh"u8));
        string output = Path.Combine(_folder, "out.cdsd");
        (int exit, _, string error) = CodesignProcess.Run("import", path, "-o", output);
        Assert.Equal(2, exit);
        Assert.Equal($"error: {path}: node \"relu0\" (Tanh): op not supported; the importer reads MLPs: Gemm, MatMul + Add, Relu, Flatten, Reshape (with the Shape, Gather, Unsqueeze, Concat, Constant arithmetic around it), Identity, Dropout, and Softmax or LogSoftmax at the output", error.Trim());
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void A_model_for_other_images_is_refused_by_compress_before_any_work()
    {
        string dense = Path.Combine(_folder, "dense.cdsd");
        Assert.Equal(0, CodesignProcess.Run("import", Model("torch-mlp-opset9.onnx"), "-o", dense, "--input-mean", "72.93", "--input-scale", "0.011109").ExitCode);
        string images = Path.Combine(_folder, "big", "a");
        Directory.CreateDirectory(images);
        for (int i = 0; i < 12; i++)
        {
            File.WriteAllBytes(Path.Combine(images, $"{i}.pgm"), ImageFiles.Pgm(32, 32, new byte[32 * 32]));
        }

        (int exit, _, string error) = CodesignProcess.Run("compress", "--dense", dense, "--data", Path.Combine(_folder, "big"), "-o", Path.Combine(_folder, "m.cdsm"));
        Assert.Equal(2, exit);
        Assert.Equal("error: the network takes 784 inputs; the data's images are 32 x 32 = 1024 pixels", error.Trim());
    }

    private static string ClassFolder(int label) => $"{label}-{FashionMnist.ClassNames[label].Replace('/', '-')}";

    private static byte[] Replace(byte[] bytes, ReadOnlySpan<byte> from, ReadOnlySpan<byte> to)
    {
        byte[] copy = [.. bytes];
        int at = copy.AsSpan().IndexOf(from);
        Assert.True(at >= 0);
        to.CopyTo(copy.AsSpan(at));
        return copy;
    }

    [GeneratedRegex(@"density (?<density>[\d.]+) ?%.*?dense (?<dense>0\.\d{4}), shared 0\.\d{4}, integer (?<integer>0\.\d{4})", RegexOptions.Singleline)]
    private static partial Regex CompressSummary();

    [GeneratedRegex(@"accuracy\s*│\s*(0\.\d{4})")]
    private static partial Regex InferAccuracy();
}
