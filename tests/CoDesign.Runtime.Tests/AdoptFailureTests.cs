using CoDesign.Runtime.Compile;
using CoDesign.Runtime.Deploy;
using CoDesign.Runtime.Devices;
using CoDesign.Runtime.Devices.Emulator;
using CoDesign.Runtime.Link;

namespace CoDesign.Runtime.Tests;

/// <summary>Adoptions that fail say why, and never leave the region marked used.</summary>
public class AdoptFailureTests
{
    private static readonly DeviceProfile Profile = DeviceProfile.EmulatorDefault with { MaxPayload = 1024 };

    [Fact]
    public void AMisalignedAddressIsRefusedWithTheRulesItBreaks()
    {
        DeviceImage image = ModelCompiler.Compile(TestModels.Random(71, [32, 8, 4], 0.5, name: "baked"), Profile);
        using ConnectedDevice device = EndToEndTests.OpenEmulator(Profile);

        var error = Assert.Throws<DeployRefusedException>(() => device.Session.Adopt(image, 4));

        Assert.Contains($"model 'baked' cannot be adopted at address 4: its {image.ImageBytes} bytes", error.Message);
        Assert.Contains($"device 'emulator''s {Profile.PersistentBytes} bytes", error.Message);
        Assert.Contains("not a multiple of 8", error.Message);
    }

    [Fact]
    public void ARefusalNamesTheChecksumTheDeviceWasAskedToFind()
    {
        DeviceImage image = ModelCompiler.Compile(TestModels.Random(72, [32, 8, 4], 0.5), Profile);
        using ConnectedDevice device = EndToEndTests.OpenEmulator(Profile);

        var error = Assert.Throws<ImageNotResidentException>(() => device.Session.Adopt(image));

        Assert.Contains($"{image.ImageBytes} bytes and CRC-32 0x{image.Checksum:X8}", error.Message);
    }

    [Fact]
    public void ADeviceThatDoesNotAnswerTheCommitLeavesTheRegionFreeForAnotherTry()
    {
        DeviceImage image = ModelCompiler.Compile(TestModels.Random(73, [32, 8, 4], 0.5), Profile);
        using var device = new LinkServer(new EmulatorEngine(Profile, image.ToMemoryBytes()));
        (LoopbackStream hostEnd, LoopbackStream deviceEnd) = LoopbackStream.CreatePair();
        bool answerCommits = false;
        device.Serve(new FaultInjectingStream(deviceEnd, (_, wire) =>
            answerCommits || WireFrame.Read(wire) is not { } frame || !frame.IsReplyTo(FrameType.Commit) ? wire : []));
        using var session = DeviceSession.Open(hostEnd, "baked emulator", TimeSpan.FromMilliseconds(500), attempts: 2);

        Assert.Throws<DeviceTimeoutException>(() => session.Adopt(image));

        Assert.Equal(0, session.Memory.UsedBytes);
        Assert.Empty(session.Models);
        answerCommits = true;
        Assert.Equal(0, session.Adopt(image).Address);
    }
}
