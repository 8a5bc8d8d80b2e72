using CoDesign.Kernels;
using CoDesign.Model;
using CoDesign.Runtime.Compile;
using CoDesign.Runtime.Deploy;
using CoDesign.Runtime.Devices;

namespace CoDesign.Cli.Tests;

/// <summary>
/// One test body against every device the CLI can open by name: each runs the same models on the
/// same inputs and must give the dense integer reference's outputs bit for bit.
/// </summary>
public class DeviceConformanceTests
{
    public static TheoryData<string> Devices() => ["emulator", "emulator:icebreaker", "emulator:hx8k-breakout", "gpu:cpu", "verilator", "verilator:hx8k-breakout"];

    [Theory]
    [MemberData(nameof(Devices))]
    public void EveryDeviceGivesTheReferenceOutputsBitForBit(string name)
    {
        using ConnectedDevice device = DeviceCatalog.Registry.Open(name);
        DeviceSession session = device.Session;
        var models = new List<SparseModel> { RandomModel(11, [48, 40, 24, 10], 0.3), RandomModel(12, [33, 17, 5], 0.9) };
        if (session.Profile.PersistentBytes >= 64 * 1024)
        {
            // The shipped model (a 38 KB image) on every device with room for it: not the HX8K's 8 KiB.
            models.Add(ModelFile.Read(CodesignProcess.ShippedModel));
        }

        foreach (SparseModel model in models)
        {
            DeployedModel deployed = session.Deploy(ModelCompiler.Compile(model, session.Profile));
            byte[] inputs = Inputs(model.Name.Length, 9, model.InputSize);
            InferenceResult result = session.Infer(deployed, inputs, 9);
            var reference = new DenseIntegerReference(model);
            for (int i = 0; i < 9; i++)
            {
                Assert.True(reference.Forward(inputs.AsSpan(i * model.InputSize, model.InputSize)).AsSpan().SequenceEqual(result.OutputsOf(i)), $"{name}: model {model.Name}, input {i}");
            }

            session.Unload(deployed);
        }
    }

    private static SparseModel RandomModel(int seed, int[] widths, double density)
    {
        var random = new Random(seed);
        var layers = new List<SparseLayer>();
        for (int l = 0; l + 1 < widths.Length; l++)
        {
            (int cols, int rows) = (widths[l], widths[l + 1]);
            byte[] indices = [.. Enumerable.Range(0, rows * cols).Select(_ => random.NextDouble() < density ? (byte)random.Next(1, 16) : (byte)0)];
            short[] codebook = [0, .. Enumerable.Range(1, CcsEntry.CodebookSize - 1).Select(_ => (short)random.Next(-3000, 3000))];
            bool last = l + 2 == widths.Length;
            layers.Add(new SparseLayer(CcsMatrix.Encode(indices, rows, cols, 1), codebook, [.. Enumerable.Range(0, rows).Select(_ => random.Next(-50_000, 50_000))],
                last ? LayerOutput.Raw32 : LayerOutput.ReluActivations8, last ? 0 : 12, 1f / 4096));
        }

        return new SparseModel($"random-{seed}", widths[0], layers);
    }

    private static byte[] Inputs(int seed, int count, int size)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count * size).Select(_ => random.Next(3) == 0 ? (byte)0 : (byte)random.Next(1, 256))];
    }
}
