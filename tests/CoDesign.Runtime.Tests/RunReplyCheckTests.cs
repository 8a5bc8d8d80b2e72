using CoDesign.Model;
using CoDesign.Runtime.Compile;
using CoDesign.Runtime.Deploy;
using CoDesign.Runtime.Devices;
using CoDesign.Runtime.Devices.Emulator;
using CoDesign.Runtime.Link;
using CoDesign.TestSupport;

namespace CoDesign.Runtime.Tests;

/// <summary>
/// A Run reply that is well formed but does not answer the batch that was sent (a device or link
/// fault, a reply meant for another model) is refused, never handed out as outputs.
/// </summary>
public class RunReplyCheckTests
{
    [Fact]
    public void AReplyForFewerInputsThanSentIsRefused()
    {
        var error = Assert.Throws<InvalidDataException>(() => InferThrough(reply => reply with
        {
            Count = reply.Count - 1,
            Outputs = reply.Outputs[..^reply.OutputSize],
        }));

        Assert.Contains("batch of 3", error.Message);
    }

    [Fact]
    public void AReplyWithTheRightCountButAnotherOutputSizeIsRefused()
    {
        var error = Assert.Throws<InvalidDataException>(() => InferThrough(reply => reply with
        {
            OutputSize = reply.OutputSize + 1,
            Outputs = new int[reply.Count * (reply.OutputSize + 1)],
        }));

        Assert.Contains("3 x 11 outputs", error.Message);
    }

    [Fact]
    public void AnUnalteredReplyPassesTheCheck()
    {
        InferenceResult result = InferThrough(reply => reply);

        Assert.Equal(3, result.Count);
        Assert.Equal(30, result.Outputs.Length);
    }

    // Deploys a 10-output model, runs 3 inputs and lets alter() rewrite the device's Run reply.
    private static InferenceResult InferThrough(Func<RunReply, RunReply> alter)
    {
        SparseModel model = RandomSparseModel.Create(41, [48, 20, 10], 0.4);
        DeviceProfile profile = DeviceProfile.EmulatorDefault;
        using var device = new LinkServer(new EmulatorEngine(profile));
        (LoopbackStream hostEnd, LoopbackStream deviceEnd) = LoopbackStream.CreatePair();
        device.Serve(new FaultInjectingStream(deviceEnd, (_, wire) =>
            WireFrame.Rewrite(wire, f => f.IsReplyTo(FrameType.Run), payload => alter(RunReply.Decode(payload)).Encode())));
        using var session = DeviceSession.Open(hostEnd, "emulator", TimeSpan.FromSeconds(2));
        DeployedModel deployed = session.Deploy(ModelCompiler.Compile(model, profile));

        return session.Infer(deployed, RandomSparseModel.Inputs(10, 3, model.InputSize), 3);
    }
}
