using CoDesign.Model;
using CoDesign.Runtime.Compile;
using CoDesign.Runtime.Deploy;
using CoDesign.Runtime.Devices;
using CoDesign.Runtime.Devices.Emulator;
using CoDesign.Runtime.Link;
using CoDesign.TestSupport;

namespace CoDesign.Runtime.Tests;

/// <summary>What a deploy whose Commit the device refuses leaves behind, and what deploying again does.</summary>
public class CommitFailureTests
{
    private static readonly DeviceProfile Profile = DeviceProfile.EmulatorDefault with { MaxPayload = 512 };

    [Fact]
    public void AnImageTheDeviceLostAfterAcknowledgingCannotBeRetriedAndDoesNotReachTheDeviceAgain()
    {
        DeviceImage image = ModelCompiler.Compile(RandomSparseModel.Create(21, [100, 40, 10], 0.3), Profile);
        using var device = new LinkServer(new EmulatorEngine(Profile));
        (LoopbackStream hostEnd, LoopbackStream deviceEnd) = LoopbackStream.CreatePair();
        device.Serve(deviceEnd);
        using var session = DeviceSession.Open(ZeroingThirdChunk(hostEnd, () => true), "emulator", TimeSpan.FromSeconds(2));
        session.Compression.Enabled = false; // this test reads and alters raw frames on the wire
        Assert.Throws<InvalidOperationException>(() => session.Deploy(image));
        long framesBefore = device.FramesReceived;

        // Every chunk was acknowledged and freed: the host has nothing left to send, so the image
        // must be refused outright, not committed again at an address it no longer holds.
        var again = Assert.Throws<InvalidOperationException>(() => session.Deploy(image));

        Assert.Contains("released already", again.Message);
        Assert.Equal(framesBefore, device.FramesReceived);
        Assert.Equal(0, session.Memory.UsedBytes);
        Assert.Equal(0, session.HostBytesHeld);
    }

    [Fact]
    public void UnderWholeImageReclamationAChecksumFailureKeepsTheImageAndDeployingAgainSucceeds()
    {
        SparseModel model = RandomSparseModel.Create(22, [100, 40, 10], 0.3);
        DeviceImage image = ModelCompiler.Compile(model, Profile);
        long held = image.HostBytesHeld;
        using var device = new LinkServer(new EmulatorEngine(Profile));
        (LoopbackStream hostEnd, LoopbackStream deviceEnd) = LoopbackStream.CreatePair();
        device.Serve(deviceEnd);
        bool damage = true;
        using var session = DeviceSession.Open(ZeroingThirdChunk(hostEnd, () => damage), "emulator", TimeSpan.FromSeconds(2));
        session.Compression.Enabled = false; // this test reads and alters raw frames on the wire
        session.Reclamation = ReclamationPolicy.WholeImage;

        // The host still holds every byte, so the device's checksum error is passed on as it is
        // (the host can resend) rather than reported as data lost for good.
        var error = Assert.Throws<DeviceErrorException>(() => session.Deploy(image));

        Assert.Equal(DeviceErrorCode.ImageChecksum, error.Code);
        Assert.Equal(held, image.HostBytesHeld);
        Assert.Equal(held, session.HostBytesHeld);
        int reserved = session.Memory.UsedBytes;
        Assert.True(reserved >= image.ImageBytes);

        damage = false;
        DeployedModel deployed = session.Deploy(image);
        byte[] inputs = RandomSparseModel.Inputs(6, 4, model.InputSize);

        Assert.Equal(TestModels.Reference(model, inputs), session.Infer(deployed, inputs, 4).Outputs);
        Assert.Equal(reserved, session.Memory.UsedBytes); // the retry reused the region it had reserved
        Assert.True(image.IsFullyReleased);
    }

    [Fact]
    public void ARefusalThatIsNotAboutLostDataIsPassedOnAsTheDevicesError()
    {
        SparseModel model = RandomSparseModel.Create(23, [100, 40, 10], 0.3);
        DeviceImage image = ModelCompiler.Compile(model, Profile);
        using var device = new LinkServer(new EmulatorEngine(Profile));
        (LoopbackStream hostEnd, LoopbackStream deviceEnd) = LoopbackStream.CreatePair();

        // The device's Commit reply is replaced by a refusal that is not about lost data.
        device.Serve(new FaultInjectingStream(deviceEnd, (_, wire) =>
            WireFrame.Read(wire) is { } frame && frame.IsReplyTo(FrameType.Commit)
                ? FrameCodec.Encode(new Frame(FrameType.Error, frame.Sequence, [(byte)DeviceErrorCode.NoModel, (byte)'x']))
                : wire));
        using var session = DeviceSession.Open(hostEnd, "emulator", TimeSpan.FromSeconds(2));

        var error = Assert.Throws<DeviceErrorException>(() => session.Deploy(image));

        Assert.Equal(DeviceErrorCode.NoModel, error.Code);
        Assert.True(image.IsFullyReleased);
        Assert.Empty(session.Models);
    }

    // Zeroes the data of the third chunk written while damage() holds, sealing the frame again so that the device acknowledges it: only the
    // Commit's checksum can notice.
    private static FaultInjectingStream ZeroingThirdChunk(Stream hostEnd, Func<bool> damage)
    {
        int writes = 0;
        return new FaultInjectingStream(hostEnd, (_, wire) =>
        {
            Frame? frame = WireFrame.Read(wire);
            if (frame?.Type != FrameType.Write)
            {
                return wire;
            }

            return ++writes == 3 && damage()
                ? WireFrame.Rewrite(wire, _ => true, payload =>
                {
                    byte[] zeroed = (byte[])payload.Clone();
                    Array.Clear(zeroed, DmaDescriptor.Size, zeroed.Length - DmaDescriptor.Size);
                    return zeroed;
                })
                : wire;
        });
    }
}
