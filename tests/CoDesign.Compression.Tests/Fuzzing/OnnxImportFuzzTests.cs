using CoDesign.Compression.Onnx;
using CoDesign.Compression.Tests.Onnx;
using CoDesign.Model;
using CoDesign.Model.Tests.Fuzzing;

namespace CoDesign.Compression.Tests.Fuzzing;

/// <summary>
/// Mutated ONNX files (the exporters' own, with bytes flipped, cut, repeated or inserted) end in a
/// network or in a <see cref="ModelFormatException"/> with a clean one-line message: never another
/// exception, a hang or an allocation a damaged size asked for.
/// </summary>
public class OnnxImportFuzzTests
{
    private static readonly byte[][] ValidFiles =
    [
        File.ReadAllBytes(OnnxModels.PathOf(OnnxModels.GemmAttributesOpset11)),
        File.ReadAllBytes(OnnxModels.PathOf(OnnxModels.TorchOpset9)),
        File.ReadAllBytes(OnnxModels.PathOf(OnnxModels.KerasOpset13)),
    ];

    [Fact]
    public void MutatedOnnxFilesImportOrAreRefusedCleanly()
    {
        var mutator = new Mutator(FuzzSettings.Seed(0x0AA7));
        (int parsed, int refused) = FuzzRun.Run<byte[], ModelFormatException>(
            FuzzSettings.Cases(600),
            i => mutator.Mutate(ValidFiles[i % ValidFiles.Length]),
            bytes =>
            {
                DenseMlp model = OnnxImporter.Parse(bytes, "m.onnx").Model;
                Assert.Equal(10, model.OutputSize);
            },
            bytes => $"{bytes.Length} bytes",
            TimeSpan.FromSeconds(120));
        Assert.True(parsed > 0 && refused > 0, $"{parsed} parsed, {refused} refused");
    }
}
