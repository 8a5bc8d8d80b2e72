using CoDesign.Model;
using CoDesign.Runtime.Compile;
using CoDesign.Runtime.Deploy;
using CoDesign.Runtime.Devices;
using CoDesign.TestSupport;

namespace CoDesign.Cli.Tests;

/// <summary>
/// One test body against every device the CLI can open by name: each runs the same models on the
/// same inputs and must give the dense integer reference's outputs bit for bit.
/// </summary>
public class DeviceConformanceTests
{
    public static TheoryData<string> Devices() => ["emulator", "emulator:icebreaker", "emulator:hx8k-breakout", "cpu", "gpu:cpu", "verilator", "verilator:hx8k-breakout"];

    [Theory]
    [MemberData(nameof(Devices))]
    public void EveryDeviceGivesTheReferenceOutputsBitForBit(string name)
    {
        using ConnectedDevice device = DeviceCatalog.Registry.Open(name);
        DeviceSession session = device.Session;
        var models = new List<SparseModel> { RandomSparseModel.Create(11, [48, 40, 24, 10], 0.3, peCount: 1), RandomSparseModel.Create(12, [33, 17, 5], 0.9, peCount: 1) };
        if (session.Profile.PersistentBytes >= 64 * 1024)
        {
            // The shipped model (a 38 KB image) on every device with room for it: not the HX8K's 8 KiB.
            models.Add(ModelFile.Read(CodesignProcess.ShippedModel));
        }

        foreach (SparseModel model in models)
        {
            DeployedModel deployed = session.Deploy(ModelCompiler.Compile(model, session.Profile));
            byte[] inputs = RandomSparseModel.Inputs(model.Name.Length, 9, model.InputSize);
            InferenceResult result = session.Infer(deployed, inputs, 9);
            var reference = new DenseIntegerReference(model);
            for (int i = 0; i < 9; i++)
            {
                Assert.True(reference.Forward(inputs.AsSpan(i * model.InputSize, model.InputSize)).AsSpan().SequenceEqual(result.OutputsOf(i)), $"{name}: model {model.Name}, input {i}");
            }

            session.Unload(deployed);
        }
    }
}
