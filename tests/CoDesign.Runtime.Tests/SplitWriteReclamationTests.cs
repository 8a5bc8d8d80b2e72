using CoDesign.Model;
using CoDesign.Runtime.Compile;
using CoDesign.Runtime.Deploy;
using CoDesign.Runtime.Devices;
using CoDesign.Runtime.Devices.Emulator;
using CoDesign.Runtime.Link;
using CoDesign.TestSupport;

namespace CoDesign.Runtime.Tests;

/// <summary>Seed 001 with short frames: a chunk sent as several DMA writes is freed only once all of them were acknowledged.</summary>
public class SplitWriteReclamationTests
{
    [Fact]
    public void AChunkSplitIntoShortWritesIsHeldUntilItsLastPieceIsAcknowledged()
    {
        SparseModel model = RandomSparseModel.Create(21, [300, 64, 10], 0.3);
        DeviceProfile profile = DeviceProfile.EmulatorDefault;
        DeviceImage image = ModelCompiler.Compile(model, profile);
        var device = new LinkServer(new EmulatorEngine(profile));
        (LoopbackStream hostEnd, LoopbackStream deviceEnd) = LoopbackStream.CreatePair();
        device.Serve(deviceEnd);
        var writes = new List<(int Address, int Length, bool ChunkHeld)>();
        bool linkDown = false;
        bool resumed = false;
        // The line goes down at the second piece of the first chunk that needs several.
        int split = image.Chunks.ToList().FindIndex(c => c.Descriptor.Length > 2 * 48);
        int cutAt = image.Chunks[split].Descriptor.Address + 48;
        using var session = DeviceSession.Open(FaultInjectingStream.Tap(hostEnd, wire =>
        {
            if (WireFrame.Read(wire) is { Type: FrameType.Write } frame && !linkDown)
            {
                (DmaDescriptor d, _) = DmaDescriptor.Decode(frame.Payload);
                ImageChunk chunk = image.Chunks.Single(c => c.Descriptor.Address <= d.Address && d.Address < c.Descriptor.Address + c.Descriptor.Length);
                writes.Add((d.Address, d.Length, !chunk.IsReleased));
                linkDown = d.Address == cutAt && !resumed;
            }

            return !linkDown;
        }), "emulator", TimeSpan.FromMilliseconds(200), attempts: 1);
        session.Compression.Enabled = false; // this test reads raw frames on the wire
        // A line so bad that the policy wants 64-byte frames: each chunk goes as writes of 48 bytes.
        session.Client.Framing = new FrameSizePolicy(64, 64);

        // Its first piece was acknowledged, yet the chunk is not freed; the chunks before it are.
        Assert.Throws<DeviceTimeoutException>(() => session.Deploy(image));
        Assert.Contains(writes, w => w.Address == cutAt - 48);
        Assert.False(image.Chunks[split].IsReleased);
        Assert.Equal(split, image.Chunks.Count(c => c.IsReleased));

        (linkDown, resumed) = (false, true);
        writes.Clear();
        DeployedModel deployed = session.Deploy(image);

        Assert.All(writes, w => Assert.True(w.ChunkHeld, $"chunk of the write at {w.Address} was freed before its last piece"));
        Assert.All(writes, w => Assert.True(w.Length <= 64 - DmaDescriptor.Size && w.Address % profile.BusBytes == 0, $"{w.Length} bytes at {w.Address}"));
        Assert.True(writes.Count > image.Chunks.Count);
        // The resumed deploy sends the cut chunk whole again and every chunk after it, nothing before.
        Assert.Equal(image.Chunks.Skip(split).Sum(c => (long)c.Descriptor.Length), writes.Sum(w => (long)w.Length));
        Assert.True(image.IsFullyReleased);
        byte[] inputs = RandomSparseModel.Inputs(4, 9, model.InputSize);
        Assert.Equal(TestModels.Reference(model, inputs), session.Infer(deployed, inputs, 9).Outputs);
        device.Dispose();
    }

    [Fact]
    public void RunsCarryFewerInputsWhenTheFramesAreShort()
    {
        SparseModel model = RandomSparseModel.Create(22, [100, 32, 10], 0.3);
        using ConnectedDevice connected = EndToEndTests.OpenEmulator(DeviceProfile.EmulatorDefault);
        DeviceSession session = connected.Session;
        session.Compression.Enabled = false; // the byte counts below are those of raw Runs
        DeployedModel deployed = session.Deploy(ModelCompiler.Compile(model, session.Profile));
        session.Client.Framing = new FrameSizePolicy(256, 256);
        byte[] inputs = RandomSparseModel.Inputs(5, 40, model.InputSize);
        long before = session.Link.BytesSent;

        InferenceResult result = session.Infer(deployed, inputs, 40);

        Assert.Equal(TestModels.Reference(model, inputs), result.Outputs);
        // (256 - 8) / 100 = 2 inputs per Run: 20 frames of at most 256 bytes of payload.
        Assert.InRange(session.Link.BytesSent - before, 20 * (8 + 200), 20 * (256 + 20));
    }
}
