using CoDesign.Model;
using CoDesign.Runtime.Compile;
using CoDesign.Runtime.Deploy;
using CoDesign.Runtime.Devices;
using CoDesign.Runtime.Link;
using CoDesign.TestSupport;

namespace CoDesign.Runtime.Tests;

/// <summary>
/// The edges of a Run request on the emulator, where it must decide as the RTL controller does:
/// a batch of no inputs is malformed, and a reply may fill the frame's payload to the last byte.
/// </summary>
public class RunLimitTests
{
    // Ten outputs per input: a batch of 25 has a reply of 40 + 25 x 10 x 4 = 1,040 bytes, the limit.
    private const int FullBatch = 25;
    private static readonly DeviceProfile Profile = DeviceProfile.EmulatorDefault with { MaxPayload = 1040 };

    [Fact]
    public void ARunOfNoInputsIsRefusedAsAMalformedPayload()
    {
        (ConnectedDevice device, SparseModel model, DeployedModel deployed) = Deploy();
        using (device)
        {
            LinkClient link = DeviceFaultTests.GetLink(device.Session);

            var error = Assert.Throws<DeviceErrorException>(() => link.Request(FrameType.Run, RunRequest.Encode(deployed.Address, 0, [])));

            Assert.Equal(DeviceErrorCode.BadPayload, error.Code);
            Assert.Contains("at least one input", error.Message);

            // The model is looked up before the count, as on the RTL.
            var noModel = Assert.Throws<DeviceErrorException>(() => link.Request(FrameType.Run, RunRequest.Encode(deployed.Address + 4, 0, [])));
            Assert.Equal(DeviceErrorCode.NoModel, noModel.Code);

            byte[] input = RandomSparseModel.Inputs(3, 1, model.InputSize);
            Assert.Equal(TestModels.Reference(model, input), device.Session.Infer(deployed, input, 1).Outputs);
        }
    }

    [Fact]
    public void AReplyOfExactlyTheLargestPayloadIsSentAndOneInputMoreIsRefused()
    {
        (ConnectedDevice device, SparseModel model, DeployedModel deployed) = Deploy();
        using (device)
        {
            LinkClient link = DeviceFaultTests.GetLink(device.Session);
            byte[] inputs = RandomSparseModel.Inputs(4, FullBatch + 1, model.InputSize);
            byte[] full = inputs[..(FullBatch * model.InputSize)];

            byte[] payload = link.Request(FrameType.Run, RunRequest.Encode(deployed.Address, FullBatch, full));

            Assert.Equal(Profile.MaxPayload, payload.Length);
            RunReply reply = RunReply.Decode(payload);
            Assert.Equal(FullBatch, reply.Count);
            Assert.Equal(TestModels.Reference(model, full), reply.Outputs);

            // The request still fits a frame; only its reply would not.
            byte[] tooMany = RunRequest.Encode(deployed.Address, FullBatch + 1, inputs);
            Assert.True(tooMany.Length <= Profile.MaxPayload);
            var error = Assert.Throws<DeviceErrorException>(() => link.Request(FrameType.Run, tooMany));
            Assert.Equal(DeviceErrorCode.BadPayload, error.Code);
        }
    }

    [Fact]
    public void InferFillsEveryReplyUpToTheLargestPayload()
    {
        (ConnectedDevice device, SparseModel model, DeployedModel deployed) = Deploy();
        using (device)
        {
            var emulator = (LinkServer)device.Backend;
            byte[] inputs = RandomSparseModel.Inputs(5, 2 * FullBatch, model.InputSize);
            long framesBefore = emulator.FramesReceived;

            InferenceResult result = device.Session.Infer(deployed, inputs, 2 * FullBatch);

            Assert.Equal(TestModels.Reference(model, inputs), result.Outputs);
            Assert.Equal(2, emulator.FramesReceived - framesBefore);
        }
    }

    private static (ConnectedDevice Device, SparseModel Model, DeployedModel Deployed) Deploy()
    {
        SparseModel model = RandomSparseModel.Create(12, [32, 16, 10], 0.4);
        ConnectedDevice device = EndToEndTests.OpenEmulator(Profile);
        try
        {
            return (device, model, device.Session.Deploy(ModelCompiler.Compile(model, Profile)));
        }
        catch
        {
            device.Dispose();
            throw;
        }
    }
}
