using CoDesign.Hardware.Tests.Device;
using CoDesign.Model;
using CoDesign.Model.Datasets;
using CoDesign.Runtime.Compile;
using CoDesign.Runtime.Deploy;
using CoDesign.Runtime.Devices;
using CoDesign.Runtime.Link;

namespace CoDesign.Hardware.Tests.Boot;

/// <summary>
/// The iCEBreaker's exact top under Verilator with its flash chip (hardware/sim/icebreaker_with_flash.v):
/// a flash written as <c>codesign flash -o</c> writes it (the committed bitstream, then the model's
/// <see cref="FlashImage"/> at 1 MiB) boots with the model registered, without a Write frame; the host
/// adopts it with one Commit (the device checks its CRC-32 in SPRAM) and it classifies like the emulator
/// bit for bit. A flash whose image is damaged leaves the device empty and working over the link.
/// </summary>
public class FlashBootTests
{
    private const int Images = 20;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public void TheModelInFlashIsCopiedAtPowerUpAndRunsResidentLikeTheEmulator()
    {
        Board board = Board.IceBreaker;
        SparseModel model = ModelFile.Read(BoardModels.ShippedModelPath);
        LabeledImages test = FashionMnist.LoadTest().Take(Images);
        byte[] flash = FlashImage.Of(ModelCompiler.Compile(model, board.Profile)).WithBitstream(File.ReadAllBytes(board.Bitstream));
        using DeviceSession rtl = DeviceSession.Open(VerilatorSimulation.Start(build: board.Rtl, flash: flash), board.Name, Timeout);
        using ConnectedDevice emulator = HardwareDevices.Registry.Open($"emulator:{board.Name}");
        DeployedModel onEmulator = emulator.Session.Deploy(ModelCompiler.Compile(model, emulator.Session.Profile));

        // Registered by the boot loader's Commit before the host said anything but Hello.
        DeviceStatus first = rtl.RequestStatus();
        Assert.Equal(1, first.Models);

        // The frame counters (this board's two spare SB_MAC16 accumulators) count each frame once:
        // Hello and that Status at least, then this Status and whatever the host resent for it.
        long resent = rtl.Link.Retransmissions;
        DeviceStatus second = rtl.RequestStatus();
        Assert.True(first.FramesReceived >= 2, $"{first.FramesReceived} frames counted after Hello and Status");
        Assert.Equal(first.FramesReceived + 1 + (rtl.Link.Retransmissions - resent), second.FramesReceived);
        Assert.Equal(0, second.CorruptedFrames);
        DeployedModel adopted = rtl.Adopt(ModelCompiler.Compile(model, rtl.Profile), 0);
        Assert.True(rtl.Link.BytesSent < 128, $"Hello, two Status requests and the Commit took {rtl.Link.BytesSent} bytes: something else was sent");

        InferenceResult fromRtl = rtl.Infer(adopted, test.Pixels, test.Count);
        SameWork.Assert(emulator.Session.Infer(onEmulator, test.Pixels, test.Count), fromRtl);
    }

    [Fact]
    public void ADamagedImageInFlashLeavesTheDeviceEmptyAndWorkingOverTheLink()
    {
        Board board = Board.IceBreaker;
        SparseModel model = ModelFile.Read(BoardModels.ShippedModelPath);
        DeviceImage image = ModelCompiler.Compile(model, board.Profile);
        byte[] flash = FlashImage.Of(image).WithBitstream(File.ReadAllBytes(board.Bitstream));
        flash[FlashImage.Offset + FlashImage.HeaderSize + 100] ^= 0x10;   // one bit of the image: its CRC-32 fails
        using DeviceSession rtl = DeviceSession.Open(VerilatorSimulation.Start(build: board.Rtl, flash: flash), board.Name, Timeout);

        Assert.Equal(0, rtl.RequestStatus().Models);
        var refused = Assert.Throws<ImageNotResidentException>(() => rtl.Adopt(ModelCompiler.Compile(model, rtl.Profile), 0));
        Assert.Equal(DeviceErrorCode.ImageChecksum, ((DeviceErrorException)refused.InnerException!).Code);

        // The link still deploys and runs it.
        LabeledImages test = FashionMnist.LoadTest().Take(2);
        DeployedModel deployed = rtl.Deploy(ModelCompiler.Compile(model, rtl.Profile));
        using ConnectedDevice emulator = HardwareDevices.Registry.Open($"emulator:{board.Name}");
        DeployedModel onEmulator = emulator.Session.Deploy(ModelCompiler.Compile(model, emulator.Session.Profile));
        SameWork.Assert(emulator.Session.Infer(onEmulator, test.Pixels, test.Count), rtl.Infer(deployed, test.Pixels, test.Count));
    }
}
