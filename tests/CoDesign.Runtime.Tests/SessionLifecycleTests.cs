using CoDesign.Model;
using CoDesign.Runtime.Compile;
using CoDesign.Runtime.Deploy;
using CoDesign.Runtime.Devices;
using CoDesign.Runtime.Devices.Emulator;
using CoDesign.Runtime.Link;
using CoDesign.TestSupport;

namespace CoDesign.Runtime.Tests;

/// <summary>A session from opening to unloading: what reaches the device at each step and what the host keeps track of.</summary>
public class SessionLifecycleTests
{
    private static readonly DeviceProfile Profile = DeviceProfile.EmulatorDefault with { MaxPayload = 1024 };

    [Fact]
    public void ASessionThatCannotUnderstandTheDevicesDescriptionClosesTheLink()
    {
        using var device = new LinkServer(new EmulatorEngine(Profile));
        (LoopbackStream hostEnd, LoopbackStream deviceEnd) = LoopbackStream.CreatePair();
        device.Serve(new FaultInjectingStream(deviceEnd, (_, wire) => WireFrame.Rewrite(wire, f => f.IsReplyTo(FrameType.Hello), _ => [1, 2, 3])));

        Assert.Throws<InvalidDataException>(() => DeviceSession.Open(hostEnd, "emulator", TimeSpan.FromSeconds(2)));

        Assert.Throws<IOException>(() => hostEnd.Write([0]));
    }

    [Fact]
    public void ImagesStartOnEightByteBoundariesEvenOnA32BitBus()
    {
        // Images lay out their blocks 8-byte aligned from their start, so their start must be too.
        using ConnectedDevice device = EndToEndTests.OpenEmulator(Profile);
        DeployedModel first = device.Session.Deploy(ModelCompiler.Compile(RandomSparseModel.Create(61, [20, 6, 3], 0.5), Profile));
        DeployedModel second = device.Session.Deploy(ModelCompiler.Compile(RandomSparseModel.Create(62, [20, 6, 3], 0.5), Profile));

        Assert.Equal(8, device.Session.Memory.Alignment);
        Assert.Equal(0, second.Address % 8);
        Assert.True(second.Address >= first.Address + first.ImageBytes);
    }

    [Fact]
    public void UnloadingAModelRemovesItFromTheDeviceAndFreesItsMemoryOnly()
    {
        SparseModel kept = RandomSparseModel.Create(63, [40, 12, 10], 0.4);
        using ConnectedDevice device = EndToEndTests.OpenEmulator(Profile);
        var emulator = (LinkServer)device.Backend;
        DeployedModel first = device.Session.Deploy(ModelCompiler.Compile(kept, Profile));
        DeployedModel second = device.Session.Deploy(ModelCompiler.Compile(RandomSparseModel.Create(64, [40, 12, 10], 0.4), Profile));
        int usedByFirst = device.Session.Memory.UsedBytes - (second.ImageBytes + 7) / 8 * 8;

        device.Session.Unload(second);

        Assert.Equal([first.Address], emulator.ModelAddresses);
        Assert.Equal(usedByFirst, device.Session.Memory.UsedBytes);
        Assert.Equal([first], device.Session.Models);
        byte[] inputs = RandomSparseModel.Inputs(14, 2, kept.InputSize);
        Assert.Equal(TestModels.Reference(kept, inputs), device.Session.Infer(first, inputs, 2).Outputs);
    }

    [Fact]
    public void AnUnloadedModelCanNeitherRunNorBeUnloadedAgain()
    {
        using ConnectedDevice device = EndToEndTests.OpenEmulator(Profile);
        DeployedModel model = device.Session.Deploy(ModelCompiler.Compile(RandomSparseModel.Create(65, [40, 12, 10], 0.4, name: "gone"), Profile));
        device.Session.Unload(model);

        var run = Assert.Throws<InvalidOperationException>(() => device.Session.Infer(model, new byte[40], 1));
        var unload = Assert.Throws<InvalidOperationException>(() => device.Session.Unload(model));

        Assert.Contains("model 'gone' is not deployed on this device", run.Message);
        Assert.Contains($"model 'gone' at {model.Address} is not deployed", unload.Message);
    }

    [Fact]
    public void ResetAndStatusReachTheDevice()
    {
        using ConnectedDevice device = EndToEndTests.OpenEmulator(Profile);
        var emulator = (LinkServer)device.Backend;
        device.Session.Deploy(ModelCompiler.Compile(RandomSparseModel.Create(66, [20, 6, 3], 0.5), Profile));

        device.Session.Reset();
        DeviceStatus status = device.Session.RequestStatus();

        Assert.Equal(1, emulator.Resets);
        Assert.Equal(1, status.Models);
        Assert.Equal(1, status.Resets);
        Assert.Equal(emulator.FramesReceived, status.FramesReceived);
    }
}
