using CoDesign.Model;
using CoDesign.Runtime.Compile;
using CoDesign.Runtime.Deploy;
using CoDesign.Runtime.Devices;
using CoDesign.Runtime.Devices.Emulator;
using CoDesign.Runtime.Link;
using CoDesign.TestSupport;

namespace CoDesign.Runtime.Tests;

/// <summary>Seed 001: host copies are freed exactly when the device confirms them, never before.</summary>
public class ReclamationTests
{
    private static readonly DeviceProfile Profile = DeviceProfile.EmulatorDefault with { MaxPayload = 512 };

    [Fact]
    public void EachChunkIsFreedWhenItsAcknowledgementArrivesAndNotBefore()
    {
        SparseModel model = RandomSparseModel.Create(11, [200, 64, 10], 0.3);
        DeviceImage image = ModelCompiler.Compile(model, Profile);
        long before = image.HostBytesHeld;
        var device = new LinkServer(new EmulatorEngine(Profile));
        (LoopbackStream hostEnd, LoopbackStream deviceEnd) = LoopbackStream.CreatePair();
        var heldWhenReplying = new List<bool>();
        int writesSeen = 0;

        // The device's replies pass through here before the host can see them: at that moment the
        // chunk being acknowledged must still be held by the host.
        device.Serve(new FaultInjectingStream(deviceEnd, (_, bytes) =>
        {
            if (writesSeen < image.Chunks.Count && image.Chunks.Count(c => c.IsReleased) == writesSeen && IsWriteReply(bytes))
            {
                heldWhenReplying.Add(!image.Chunks[writesSeen].IsReleased);
                writesSeen++;
            }

            return bytes;
        }));
        using var session = DeviceSession.Open(hostEnd, "emulator", TimeSpan.FromSeconds(2));
        var progress = new List<DeployProgress>();

        DeployedModel deployed = session.Deploy(image, new SynchronousProgress<DeployProgress>(progress.Add));

        Assert.Equal(image.Chunks.Count, heldWhenReplying.Count);
        Assert.All(heldWhenReplying, Assert.True);
        Assert.True(image.IsFullyReleased);
        Assert.Equal(0, image.HostBytesHeld);
        Assert.Equal(before, progress[0].HostBytesHeld + image.Chunks[0].Descriptor.Length + DmaDescriptor.Size);
        Assert.True(progress.Zip(progress.Skip(1)).All(p => p.First.HostBytesHeld >= p.Second.HostBytesHeld));
        Assert.Equal(0, progress[^1].HostBytesHeld);
        Assert.True(deployed.HostBytes < 200);
        Assert.True(before > image.ImageBytes);
        device.Dispose();
    }

    [Fact]
    public void WholeImagePolicyKeepsEverythingUntilTheDeviceConfirmsTheCompleteModel()
    {
        SparseModel model = RandomSparseModel.Create(12, [200, 64, 10], 0.3);
        DeviceImage image = ModelCompiler.Compile(model, Profile);
        long before = image.HostBytesHeld;
        using ConnectedDevice device = EndToEndTests.OpenEmulator(Profile);
        device.Session.Reclamation = ReclamationPolicy.WholeImage;
        var progress = new List<DeployProgress>();

        device.Session.Deploy(image, new SynchronousProgress<DeployProgress>(progress.Add));

        Assert.All(progress.SkipLast(1), p => Assert.Equal(before, p.HostBytesHeld));
        Assert.Equal(0, progress[^1].HostBytesHeld);
        Assert.True(image.IsFullyReleased);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void DamagedOrLostRequestsAreResentFromTheRetainedCopy(bool drop)
    {
        SparseModel model = RandomSparseModel.Create(13, [150, 50, 10], 0.3);
        DeviceImage image = ModelCompiler.Compile(model, Profile);
        var device = new LinkServer(new EmulatorEngine(Profile));
        (LoopbackStream hostEnd, LoopbackStream deviceEnd) = LoopbackStream.CreatePair();
        device.Serve(deviceEnd);

        // Every third frame from the host is damaged or lost on its first trip.
        var tampered = new FaultInjectingStream(hostEnd, (index, bytes) =>
        {
            if (index % 3 != 2)
            {
                return bytes;
            }

            if (drop)
            {
                return [];
            }

            byte[] damaged = (byte[])bytes.Clone();
            damaged[damaged.Length / 2] ^= 0x10;
            return damaged;
        });
        using var session = DeviceSession.Open(tampered, "emulator", TimeSpan.FromMilliseconds(drop ? 100 : 2000), attempts: 4);
        DeployedModel deployed = session.Deploy(image);
        byte[] inputs = RandomSparseModel.Inputs(3, 12, model.InputSize);

        InferenceResult result = session.Infer(deployed, inputs, 12);

        Assert.Equal(TestModels.Reference(model, inputs), result.Outputs);
        Assert.True(session.Link.Retransmissions > 0);
        Assert.True(image.IsFullyReleased);
        if (!drop)
        {
            Assert.True(device.CorruptedFrames > 0);
        }

        device.Dispose();
    }

    [Fact]
    public void ALostAcknowledgementIsAnsweredAgainWithoutExecutingTwice()
    {
        SparseModel model = RandomSparseModel.Create(14, [80, 30, 10], 0.3);
        var device = new LinkServer(new EmulatorEngine(Profile));
        (LoopbackStream hostEnd, LoopbackStream deviceEnd) = LoopbackStream.CreatePair();

        // Every fourth reply from the device is lost.
        device.Serve(new FaultInjectingStream(deviceEnd, (index, bytes) => index % 4 == 3 ? [] : bytes));
        using var session = DeviceSession.Open(hostEnd, "emulator", TimeSpan.FromMilliseconds(100));
        DeployedModel deployed = session.Deploy(ModelCompiler.Compile(model, Profile));
        byte[] inputs = RandomSparseModel.Inputs(4, 30, model.InputSize);

        Assert.Equal(TestModels.Reference(model, inputs), session.Infer(deployed, inputs, 30).Outputs);
        Assert.True(session.Link.Retransmissions > 0);
        device.Dispose();
    }

    [Fact]
    public void AResetDuringDeployLeavesTheHostAbleToFinishIt()
    {
        SparseModel model = RandomSparseModel.Create(15, [200, 64, 10], 0.3);
        DeviceImage image = ModelCompiler.Compile(model, Profile);
        var device = new LinkServer(new EmulatorEngine(Profile));
        (LoopbackStream hostEnd, LoopbackStream deviceEnd) = LoopbackStream.CreatePair();
        device.Serve(deviceEnd);
        bool linkDown = false;

        // After the fifth frame the device is reset and the link goes quiet, as when a board's
        // reset button is pressed mid-deploy and its UART comes back only later.
        var tampered = new FaultInjectingStream(hostEnd, (index, bytes) =>
        {
            if (index == 6)
            {
                device.SoftReset();
                linkDown = true;
            }

            return linkDown ? [] : bytes;
        });
        using var session = DeviceSession.Open(tampered, "emulator", TimeSpan.FromMilliseconds(50), attempts: 2);

        Assert.Throws<DeviceTimeoutException>(() => session.Deploy(image));
        int released = image.Chunks.Count(c => c.IsReleased);
        Assert.Equal(5, released); // Hello was frame 0; frames 1..5 were chunks the device acknowledged
        Assert.All(image.Chunks.Skip(released), c => Assert.False(c.IsReleased));
        Assert.True(session.HostBytesHeld >= image.Chunks.Skip(released).Sum(c => c.Descriptor.Length));

        linkDown = false;
        DeployedModel deployed = session.Deploy(image);
        byte[] inputs = RandomSparseModel.Inputs(5, 10, model.InputSize);

        Assert.Equal(TestModels.Reference(model, inputs), session.Infer(deployed, inputs, 10).Outputs);
        Assert.True(image.IsFullyReleased);
        device.Dispose();
    }

    [Fact]
    public void ADeviceThatLostAcknowledgedDataIsReportedNotSilentlyAccepted()
    {
        SparseModel model = RandomSparseModel.Create(16, [100, 40, 10], 0.3);
        DeviceImage image = ModelCompiler.Compile(model, Profile);
        var device = new LinkServer(new EmulatorEngine(Profile));
        (LoopbackStream hostEnd, LoopbackStream deviceEnd) = LoopbackStream.CreatePair();
        device.Serve(deviceEnd);
        int writes = 0;

        // The third chunk's data is zeroed on the way but its frame is re-sealed, so the device
        // acknowledges it: only the commit checksum can notice.
        var tampered = new FaultInjectingStream(hostEnd, (index, bytes) => ++writes == 4 ? Reseal(bytes) : bytes);
        using var session = DeviceSession.Open(tampered, "emulator", TimeSpan.FromSeconds(2));
        session.Compression.Enabled = false; // this test reads and alters raw frames on the wire

        var error = Assert.Throws<InvalidOperationException>(() => session.Deploy(image));

        Assert.Contains("compile the model again", error.Message);
        Assert.Equal(0, session.Memory.UsedBytes);
        device.Dispose();
    }

    private static byte[] Reseal(byte[] wire)
    {
        var decoder = new FrameDecoder();
        Frame frame = default;
        foreach (byte b in wire)
        {
            if (decoder.Push(b) == DecodeResult.Frame)
            {
                frame = decoder.Frame;
            }
        }

        byte[] payload = (byte[])frame.Payload.Clone();
        Array.Clear(payload, DmaDescriptor.Size, payload.Length - DmaDescriptor.Size);
        return FrameCodec.Encode(frame with { Payload = payload });
    }

    private static bool IsWriteReply(byte[] wire)
    {
        var decoder = new FrameDecoder();
        return wire.Any(b => decoder.Push(b) == DecodeResult.Frame && decoder.Frame.IsReplyTo(FrameType.Write));
    }

    /// <summary>Reports on the caller's thread, so assertions see every report in order.</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
