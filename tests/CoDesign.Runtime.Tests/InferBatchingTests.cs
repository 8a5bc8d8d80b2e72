using CoDesign.Model;
using CoDesign.Runtime.Compile;
using CoDesign.Runtime.Deploy;
using CoDesign.Runtime.Devices;
using CoDesign.Runtime.Devices.Emulator;
using CoDesign.Runtime.Link;
using CoDesign.TestSupport;

namespace CoDesign.Runtime.Tests;

/// <summary>
/// Infer splits inputs into as few Run frames as the device's payload limit allows, when the request
/// rather than the reply is the larger frame, and refuses models whose single input does not fit.
/// </summary>
public class InferBatchingTests
{
    private static readonly DeviceProfile Profile = DeviceProfile.EmulatorDefault with { MaxPayload = 1024 };

    [Theory]
    [InlineData(204, 10, 3)] // (1024 - 8) / 204 = 4 inputs a frame: 4 + 4 + 2
    [InlineData(600, 3, 3)] // one input a frame
    public void RequestsAreFilledUpToTheLargestPayloadAndNoFurther(int inputSize, int count, int frames)
    {
        SparseModel model = RandomSparseModel.Create(51, [inputSize, 12, 10], 0.2);
        var runPayloads = new List<int>();
        using var device = new LinkServer(new EmulatorEngine(Profile));
        (LoopbackStream hostEnd, LoopbackStream deviceEnd) = LoopbackStream.CreatePair();
        device.Serve(deviceEnd);
        var recorded = new FaultInjectingStream(hostEnd, (_, wire) =>
        {
            if (WireFrame.Read(wire) is { Type: FrameType.Run } frame)
            {
                runPayloads.Add(frame.Payload.Length);
            }

            return wire;
        });
        using var session = DeviceSession.Open(recorded, "emulator", TimeSpan.FromSeconds(2));
        session.Compression.Enabled = false; // this test reads and alters raw frames on the wire
        DeployedModel deployed = session.Deploy(ModelCompiler.Compile(model, Profile));
        byte[] inputs = RandomSparseModel.Inputs(12, count, inputSize);

        InferenceResult result = session.Infer(deployed, inputs, count);

        Assert.Equal(TestModels.Reference(model, inputs), result.Outputs);
        Assert.Equal(frames, runPayloads.Count);
        Assert.All(runPayloads, p => Assert.InRange(p, 1, Profile.MaxPayload));
    }

    [Fact]
    public void AModelWhoseOneInputExceedsTheLargestPayloadIsRefusedBeforeSending()
    {
        SparseModel model = RandomSparseModel.Create(52, [1100, 8, 4], 0.1);
        using ConnectedDevice device = EndToEndTests.OpenEmulator(Profile);
        DeployedModel deployed = device.Session.Deploy(ModelCompiler.Compile(model, Profile));
        long sent = device.Session.Link.BytesSent;

        var error = Assert.Throws<InvalidOperationException>(() => device.Session.Infer(deployed, new byte[1100], 1));

        Assert.Contains("needs frames larger than device 'emulator' accepts (1024 bytes)", error.Message);
        Assert.Equal(sent, device.Session.Link.BytesSent);
    }

    [Fact]
    public void EachResultCarriesItsOutputsPerInputAndTheLinkBytesItCost()
    {
        SparseModel model = RandomSparseModel.Create(53, [64, 16, 10], 0.4);
        using ConnectedDevice device = EndToEndTests.OpenEmulator(Profile);
        DeployedModel deployed = device.Session.Deploy(ModelCompiler.Compile(model, Profile));
        byte[] inputs = RandomSparseModel.Inputs(13, 30, model.InputSize);
        LinkStatistics link = device.Session.Link;
        long before = link.BytesSent + link.BytesReceived;

        InferenceResult result = device.Session.Infer(deployed, inputs, 30);

        int[] reference = TestModels.Reference(model, inputs);
        Assert.Equal(reference[20..30], result.OutputsOf(2).ToArray());
        Assert.Equal(link.BytesSent + link.BytesReceived - before, result.LinkBytes);
        Assert.True(result.LinkBytes > inputs.Length);
    }
}
