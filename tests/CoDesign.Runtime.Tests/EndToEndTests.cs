using CoDesign.Model;
using CoDesign.Runtime.Compile;
using CoDesign.Runtime.Deploy;
using CoDesign.Runtime.Devices;
using CoDesign.Runtime.Devices.Emulator;
using CoDesign.TestSupport;

namespace CoDesign.Runtime.Tests;

public class EndToEndTests
{
    [Theory]
    [InlineData(1, 32)]
    [InlineData(3, 32)]
    [InlineData(4, 32)]
    [InlineData(7, 64)]
    [InlineData(16, 64)]
    public void EmulatorMatchesDenseReferenceBitForBit(int peCount, int busBits)
    {
        SparseModel model = RandomSparseModel.Create(peCount * 31, [100, 64, 40, 10], 0.2, peCount: 2);
        DeviceProfile profile = DeviceProfile.EmulatorDefault with { PeCount = peCount, BusBits = busBits };
        using ConnectedDevice device = OpenEmulator(profile);
        DeployedModel deployed = device.Session.Deploy(ModelCompiler.Compile(model, profile));
        byte[] inputs = RandomSparseModel.Inputs(7, 50, model.InputSize);

        InferenceResult result = device.Session.Infer(deployed, inputs, 50);

        Assert.Equal(TestModels.Reference(model, inputs), result.Outputs);
        Assert.True(result.Cycles > 0);
        Assert.True(result.Entries > 0);
        Assert.True(result.ShiftAddSteps >= result.Entries / 2);
    }

    [Fact]
    public void LayersLargeEnoughToRunPesInParallelStayExact()
    {
        SparseModel model = RandomSparseModel.Create(5, [1024, 600, 10], 0.3);
        DeviceProfile profile = DeviceProfile.EmulatorDefault with { PersistentBytes = 1 << 20 };
        using ConnectedDevice device = OpenEmulator(profile);
        DeployedModel deployed = device.Session.Deploy(ModelCompiler.Compile(model, profile));
        byte[] inputs = RandomSparseModel.Inputs(8, 6, model.InputSize);

        Assert.Equal(TestModels.Reference(model, inputs), device.Session.Infer(deployed, inputs, 6).Outputs);
    }

    [Fact]
    public void ZeroActivationsCostNoEntries()
    {
        SparseModel model = RandomSparseModel.Create(9, [64, 32, 10], 0.5);
        using ConnectedDevice device = OpenEmulator(DeviceProfile.EmulatorDefault);
        DeployedModel deployed = device.Session.Deploy(ModelCompiler.Compile(model, DeviceProfile.EmulatorDefault));

        InferenceResult result = device.Session.Infer(deployed, new byte[64], 1);

        // Every layer sees only zeros (the first because the input is zero, later ones because
        // random biases may make some activations nonzero): the first layer consumed nothing.
        long secondLayerMax = model.Layers[1].Weights.EntryCount;
        Assert.True(result.Entries <= secondLayerMax);
        Assert.Equal(TestModels.Reference(model, new byte[64]), result.Outputs);
    }

    internal static ConnectedDevice OpenEmulator(DeviceProfile profile, TimeSpan? timeout = null)
    {
        (LinkServer device, Stream hostEnd) = LinkServer.Start(new EmulatorEngine(profile));
        return new ConnectedDevice(DeviceSession.Open(hostEnd, "emulator", timeout ?? TimeSpan.FromSeconds(2)), device);
    }
}
