using CoDesign.Model;
using CoDesign.Runtime.Compile;
using CoDesign.Runtime.Deploy;
using CoDesign.Runtime.Devices;
using CoDesign.Runtime.Devices.Emulator;
using CoDesign.Runtime.Link;
using CoDesign.TestSupport;

namespace CoDesign.Runtime.Tests;

/// <summary>
/// Compressed Runs and Writes end to end: the host's decisions, the device's decoding in
/// LinkServer (every C# device), refusals of bad compressed payloads, and old devices.
/// </summary>
public class CompressedTransferTests
{
    private static readonly SparseModel Model = RandomSparseModel.Create(41, [120, 64, 10], 0.2);

    /// <summary>Inputs half zero, in runs, like Fashion-MNIST's background.</summary>
    private static byte[] SparseInputs(int seed, int count, int size)
    {
        byte[] inputs = RandomSparseModel.Inputs(seed, count, size);
        for (int i = 0; i < inputs.Length; i++)
        {
            if (i % size < size / 2)
            {
                inputs[i] = 0;
            }
        }

        return inputs;
    }

    private static ConnectedDevice Open(LinkServer device)
    {
        (LoopbackStream host, LoopbackStream deviceEnd) = LoopbackStream.CreatePair();
        device.Serve(deviceEnd);
        return new ConnectedDevice(DeviceSession.Open(host, "emulator", TimeSpan.FromSeconds(2)), device);
    }

    [Fact]
    public void CompressedRunsGiveTheRawRunsOutputsWithFewerLinkBytes()
    {
        byte[] inputs = SparseInputs(3, 30, Model.InputSize);
        using ConnectedDevice compressed = Open(new LinkServer(new EmulatorEngine(DeviceProfile.EmulatorDefault)));
        using ConnectedDevice raw = Open(new LinkServer(new EmulatorEngine(DeviceProfile.EmulatorDefault)));
        raw.Session.Compression.Enabled = false;

        InferenceResult a = compressed.Session.Infer(compressed.Session.Deploy(ModelCompiler.Compile(Model, compressed.Session.Profile)), inputs, 30);
        InferenceResult b = raw.Session.Infer(raw.Session.Deploy(ModelCompiler.Compile(Model, raw.Session.Profile)), inputs, 30);

        Assert.Equal(TestModels.Reference(Model, inputs), a.Outputs);
        Assert.Equal(b.Outputs, a.Outputs);
        Assert.True(a.LinkBytes < 0.8 * b.LinkBytes, $"{a.LinkBytes} link bytes compressed, {b.LinkBytes} raw");
        CompressionCounts runs = compressed.Session.Compression.Statistics.Of(FrameType.Run);
        Assert.Equal(runs.Transfers, runs.Compressed);
        Assert.True(runs.BytesSaved > 0);
        Assert.Equal(0, raw.Session.Compression.Statistics.Of(FrameType.Run).Compressed);
    }

    [Fact]
    public void AnOldDeviceWithoutTheCapabilityGetsEveryPayloadRawAndWorks()
    {
        byte[] inputs = SparseInputs(4, 20, Model.InputSize);
        using ConnectedDevice old = Open(new LinkServer(new EmulatorEngine(DeviceProfile.EmulatorDefault)) { Capabilities = LinkCapabilities.None });

        InferenceResult result = old.Session.Infer(old.Session.Deploy(ModelCompiler.Compile(Model, old.Session.Profile)), inputs, 20);

        Assert.Equal(TestModels.Reference(Model, inputs), result.Outputs);
        Assert.False(old.Session.Compression.DeviceDecodes);
        Assert.Equal(0, old.Session.Compression.Statistics.Of(FrameType.Run).Compressed + old.Session.Compression.Statistics.Of(FrameType.Write).Compressed);
        Assert.Contains("does not decode", old.Session.Compression.Describe());

        // And were one sent anyway, the old device refuses it as an unknown request, as an old bitstream does.
        var error = Assert.Throws<DeviceErrorException>(() => old.Session.Client.Request(FrameType.Run | FrameType.Compressed, ZeroRunCodec.Encode(new byte[16])));
        Assert.Equal(DeviceErrorCode.UnknownRequest, error.Code);
    }

    [Fact]
    public void ACompressedPayloadLargerThanRawIsNeverChosen()
    {
        var policy = new CompressionPolicy(DeviceProfile.EmulatorDefault with { Capabilities = LinkCapabilities.ZeroRunCodec });
        byte[] dense = [.. Enumerable.Range(0, 3000).Select(i => (byte)(1 + (i % 250)))];     // no zeros: tokens only add
        byte[] stuffy = [.. Enumerable.Range(0, 3000).Select(i => i % 2 == 0 ? (byte)0 : FrameCodec.Flag)]; // shorter, but its flags escape

        (FrameType denseType, byte[] densePayload) = policy.Choose(FrameType.Run, dense);
        (FrameType sparseType, byte[] sparsePayload) = policy.Choose(FrameType.Run, new byte[3000]);
        (_, byte[] stuffyPayload) = policy.Choose(FrameType.Write, stuffy);

        Assert.Equal(FrameType.Run, denseType);
        Assert.Same(dense, densePayload);
        Assert.Equal(FrameType.Run | FrameType.Compressed, sparseType);
        Assert.True(sparsePayload.Length < 300);
        Assert.True(Wire(stuffyPayload) <= Wire(stuffy));
        CompressionCounts runs = policy.Statistics.Of(FrameType.Run);
        Assert.Equal((2L, 1L, 6000L), (runs.Transfers, runs.Compressed, runs.PayloadBytes));
        Assert.Equal(3000 + sparsePayload.Length, runs.SentBytes);
    }

    private static int Wire(byte[] payload) => FrameCodec.Encode(new Frame(FrameType.Write, 1, payload)).Length;

    [Fact]
    public void NoCompressionWithoutBaudOrWhenSwitchedOffOrWhenTheCostModelSaysItDoesNotPay()
    {
        byte[] zeros = new byte[2000];
        var inMemory = new CompressionPolicy(DeviceProfile.EmulatorDefault with { BaudRate = 0, Capabilities = LinkCapabilities.ZeroRunCodec });
        var off = new CompressionPolicy(DeviceProfile.EmulatorDefault with { Capabilities = LinkCapabilities.ZeroRunCodec }) { Enabled = false };

        // A link so fast that 2 kB take less time than decoding them at 1 kHz.
        var slowDecoder = new CompressionPolicy(DeviceProfile.EmulatorDefault with { ClockHz = 1000, BaudRate = 1_000_000_000, Capabilities = LinkCapabilities.ZeroRunCodec });

        Assert.Equal(FrameType.Run, inMemory.Choose(FrameType.Run, zeros).Type);
        Assert.Equal(FrameType.Run, off.Choose(FrameType.Run, zeros).Type);
        Assert.Equal(FrameType.Run, slowDecoder.Choose(FrameType.Run, zeros).Type);
        Assert.True(slowDecoder.Cost(2000) > (DeviceProfile.EmulatorDefault with { BaudRate = 1_000_000_000 }).LinkSeconds(2000));
    }

    [Theory]
    [InlineData(new byte[] { 0x13, 1, 2 })]                     // a token promises more literals than follow
    [InlineData(new byte[] { 0xF0, 0xF0, 0xF0, 0xF1 })]         // the promised literal is missing
    public void ACorruptedCompressedPayloadIsRefusedAsMalformedAndTheDeviceCarriesOn(byte[] tokens)
    {
        byte[] inputs = SparseInputs(5, 3, Model.InputSize);
        using ConnectedDevice device = Open(new LinkServer(new EmulatorEngine(DeviceProfile.EmulatorDefault)));
        DeployedModel deployed = device.Session.Deploy(ModelCompiler.Compile(Model, device.Session.Profile));

        var error = Assert.Throws<DeviceErrorException>(() => device.Session.Client.Request(FrameType.Run | FrameType.Compressed, tokens));

        Assert.Equal(DeviceErrorCode.BadPayload, error.Code);
        Assert.Contains("compressed payload", error.Message);
        Assert.Equal(TestModels.Reference(Model, inputs), device.Session.Infer(deployed, inputs, 3).Outputs);
    }

    [Fact]
    public void ATokenStreamThatExpandsPastTheDevicesFrameLimitIsRefused()
    {
        using ConnectedDevice device = Open(new LinkServer(new EmulatorEngine(DeviceProfile.EmulatorDefault)));

        byte[] bomb = [.. Enumerable.Repeat((byte)0xF0, (DeviceProfile.EmulatorDefault.MaxPayload / 15) + 1)];
        var error = Assert.Throws<DeviceErrorException>(() => device.Session.Client.Request(FrameType.Write | FrameType.Compressed, bomb));

        Assert.Equal(DeviceErrorCode.BadPayload, error.Code);
        Assert.Contains($"more than {DeviceProfile.EmulatorDefault.MaxPayload} bytes", error.Message);
    }

    [Fact]
    public void ACompressedWriteLandsTheBytesItsRawTwinWould()
    {
        var engine = new EmulatorEngine(DeviceProfile.EmulatorDefault);
        using ConnectedDevice device = Open(new LinkServer(engine));
        var data = new byte[256];
        data[5] = 9;
        data[200] = 0x7E;
        byte[] write = WriteRequest.Encode(new DmaDescriptor(0, data.Length, 8, false, BlockKind.Header), 1024, data);

        device.Session.Client.Request(FrameType.Write | FrameType.Compressed, ZeroRunCodec.Encode(write));

        var memory = new byte[256];
        engine.Memory.Read(1024, memory);
        Assert.Equal(data, memory);
    }
}
