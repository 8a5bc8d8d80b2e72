using CoDesign.Kernels;
using CoDesign.Model;
using CoDesign.Model.Datasets;
using CoDesign.Runtime;
using CoDesign.Runtime.Compile;
using CoDesign.Runtime.Deploy;
using CoDesign.Runtime.Devices;
using CoDesign.Runtime.Link;
using CoDesign.TestSupport;

namespace CoDesign.Hardware.Tests.Device;

/// <summary>
/// The RTL's link protocol, DMA and commit under Verilator, driven through its UART pins by the same
/// host runtime that drives the emulator: deploys land in the RTL's weight memory and are checked
/// there by its own CRC.
/// </summary>
public class RtlLinkTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public void TheSimulatedBoardDescribesItself()
    {
        using DeviceSession session = DeviceSession.Open(VerilatorSimulation.Start(), "rtl-sim", Timeout);

        Assert.Equal("rtl-sim", session.Profile.Name);
        Assert.Equal(4, session.Profile.PeCount);
        Assert.Equal(32, session.Profile.BusBits);
        Assert.Equal(128 * 1024, session.Profile.PersistentBytes);
        Assert.Equal(1024, session.Profile.MaxPayload);
    }

    [Fact]
    public void TheShippedModelDeploysIntoTheRtlAndItsCrcCheckAccepts()
    {
        SparseModel model = ModelFile.Read(ShippedModelPath);
        using DeviceSession session = DeviceSession.Open(VerilatorSimulation.Start(), "rtl-sim", Timeout);
        DeviceImage image = ModelCompiler.Compile(model, session.Profile);

        DeployedModel deployed = session.Deploy(image);

        Assert.True(image.IsFullyReleased);
        Assert.Equal(1, session.RequestStatus().Models);
        Assert.True(deployed.HostBytes < 200);
    }

    [Fact]
    public void CorruptedFramesAreCaughtByTheRtlCrcAndResent()
    {
        SparseModel model = ModelFile.Read(ShippedModelPath);
        var tamper = new Func<int, byte[], byte[]>((index, bytes) =>
        {
            if (index % 5 != 3)
            {
                return bytes;
            }

            byte[] damaged = (byte[])bytes.Clone();
            damaged[damaged.Length / 2] ^= 0x04;
            return damaged;
        });
        using var stream = new FaultInjectingStream(VerilatorSimulation.Start(), tamper);
        using DeviceSession session = DeviceSession.Open(stream, "rtl-sim", Timeout);

        session.Deploy(ModelCompiler.Compile(model, session.Profile));

        DeviceStatus status = session.RequestStatus();
        Assert.Equal(1, status.Models);
        Assert.True(status.CorruptedFrames > 0, $"the RTL saw {status.CorruptedFrames} corrupted frames");
        Assert.True(session.Link.Retransmissions >= status.CorruptedFrames);
    }

    [Fact]
    public void GarbageOnTheLineNeverHangsTheRtl()
    {
        SimulatorProcess simulator = VerilatorSimulation.Start();
        var garbage = new byte[3000];
        new Random(5).NextBytes(garbage);
        simulator.Write(garbage);
        simulator.Flush();

        using DeviceSession session = DeviceSession.Open(simulator, "rtl-sim", Timeout);

        Assert.Equal("rtl-sim", session.Profile.Name);
    }

    [Fact]
    public void AnImageWhoseMemoryDoesNotMatchItsChecksumIsRefused()
    {
        SimulatorProcess simulator = VerilatorSimulation.Start();
        using var link = new LinkClient(simulator, "rtl-sim", Timeout);
        byte[] image = new byte[64];
        new ModelHeader(1, 4, 4, LayerOutput.Raw32, ModelHeader.Size, image.Length).Encode(image);
        link.Request(FrameType.Write, WriteRequest.Encode(new DmaDescriptor(0, image.Length, 8, false, BlockKind.Header), 0, image));
        byte[] commit = CommitRequest.Encode(0, image.Length, Crc32.Compute(image) ^ 1);

        var error = Assert.Throws<DeviceErrorException>(() => link.Request(FrameType.Commit, commit));

        Assert.Equal(DeviceErrorCode.ImageChecksum, error.Code);
        link.Request(FrameType.Commit, CommitRequest.Encode(0, image.Length, Crc32.Compute(image)));
    }

    [Fact]
    public void WeightsAndTheModelTableSurviveASoftResetAndUnloadFreesTheSlot()
    {
        SparseModel model = ModelFile.Read(ShippedModelPath);
        using DeviceSession session = DeviceSession.Open(VerilatorSimulation.Start(), "rtl-sim", Timeout);
        DeployedModel deployed = session.Deploy(ModelCompiler.Compile(model, session.Profile));

        session.Reset();
        Assert.Equal(1, session.RequestStatus().Models);
        Assert.Equal(1, session.RequestStatus().Resets);
        session.Unload(deployed);

        Assert.Equal(0, session.RequestStatus().Models);
    }

    [Fact]
    public void RealImagesClassifiedByTheRtlEqualTheEmulatorBitForBit()
    {
        SparseModel model = ModelFile.Read(ShippedModelPath);
        LabeledImages test = FashionMnist.LoadTest().Take(ImagesPerRun);
        using DeviceSession rtl = DeviceSession.Open(VerilatorSimulation.Start(), "rtl-sim", Timeout);
        using ConnectedDevice emulator = SameWork.Emulator(RtlBuild.Default, DeviceProfile.EmulatorDefault);
        DeployedModel onRtl = rtl.Deploy(ModelCompiler.Compile(model, rtl.Profile));
        DeployedModel onEmulator = emulator.Session.Deploy(ModelCompiler.Compile(model, emulator.Session.Profile));

        InferenceResult fromRtl = rtl.Infer(onRtl, test.Pixels, test.Count);
        InferenceResult fromEmulator = emulator.Session.Infer(onEmulator, test.Pixels, test.Count);

        SameWork.Assert(fromEmulator, fromRtl);
        var reference = new DenseIntegerReference(model);
        for (int i = 0; i < test.Count; i++)
        {
            Assert.Equal(reference.Forward(test.Image(i)), fromRtl.OutputsOf(i).ToArray());
        }
    }

    /// <summary>Images per test run: CODESIGN_RTL_IMAGES overrides (the benchmark run uses all 10,000).</summary>
    private static int ImagesPerRun => int.TryParse(Environment.GetEnvironmentVariable("CODESIGN_RTL_IMAGES"), out int n) ? n : 500;

    private static string ShippedModelPath => Path.Combine(HardwareSources.Root, "..", "host", "models", "fashion-mnist-mlp.cdsm");
}
