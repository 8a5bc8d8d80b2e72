using System.Buffers.Binary;
using System.Diagnostics;
using CoDesign.Kernels;
using CoDesign.Runtime.Compile;
using CoDesign.Runtime.Deploy;
using CoDesign.Runtime.Devices;
using CoDesign.Runtime.Devices.Emulator;
using CoDesign.Runtime.Link;
using CoDesign.TestSupport;

namespace CoDesign.Runtime.Tests;

public class DeviceFaultTests
{
    [Fact]
    public void ASilentDeviceIsReportedByNameWithinTheTimeout()
    {
        (LoopbackStream hostEnd, LoopbackStream nobody) = LoopbackStream.CreatePair();
        var clock = Stopwatch.StartNew();

        var error = Assert.Throws<DeviceTimeoutException>(() => DeviceSession.Open(hostEnd, "board-7", TimeSpan.FromMilliseconds(60), attempts: 3));

        Assert.Contains("board-7", error.Message);
        Assert.Contains("3 attempts", error.Message);
        Assert.InRange(clock.ElapsedMilliseconds, 150, 5000);
        nobody.Dispose();
    }

    [Fact]
    public void GarbageNeverHangsTheDevice()
    {
        var device = new LinkServer(new EmulatorEngine(DeviceProfile.EmulatorDefault));
        (LoopbackStream hostEnd, LoopbackStream deviceEnd) = LoopbackStream.CreatePair();
        device.Serve(deviceEnd);
        var random = new Random(2);
        var garbage = new byte[20_000];
        random.NextBytes(garbage);
        hostEnd.Write(garbage);

        using var session = DeviceSession.Open(hostEnd, "emulator", TimeSpan.FromSeconds(2));

        Assert.Equal(DeviceProfile.EmulatorDefault with { Capabilities = LinkCapabilities.ZeroRunCodec }, session.Profile);
        device.Dispose();
    }

    [Fact]
    public void AMalformedImageIsRefusedAtCommitAndTheDeviceCarriesOn()
    {
        using ConnectedDevice device = EndToEndTests.OpenEmulator(DeviceProfile.EmulatorDefault);
        var link = GetLink(device.Session);

        // A header that promises a layer whose blocks lie far outside the image.
        var image = new byte[256];
        new ModelHeader(1, 16, 4, CoDesign.Model.LayerOutput.Raw32, ModelHeader.Size, image.Length).Encode(image);
        new LayerInstruction(CoDesign.Model.LayerOutput.Raw32, 0, 16, 4, 4, 16, 100_000, 64, 96).Encode(image.AsSpan(ModelHeader.Size));
        link.Request(FrameType.Write, WriteRequest.Encode(new DmaDescriptor(0, image.Length, 8, false, BlockKind.Header), 0, image));
        byte[] commit = CommitRequest.Encode(0, image.Length, Crc32.Compute(image));

        var error = Assert.Throws<DeviceErrorException>(() => link.Request(FrameType.Commit, commit));

        Assert.Equal(DeviceErrorCode.NoModel, error.Code);
        Assert.Contains("runs past the image end", error.Message);
        Assert.Throws<DeviceErrorException>(() => link.Request(FrameType.Run, RunRequest.Encode(0, 1, new byte[16])));
        Assert.Equal(DeviceProfile.EmulatorDefault with { Capabilities = LinkCapabilities.ZeroRunCodec }, DeviceProfile.Decode(link.Request(FrameType.Hello, [])));
    }

    [Fact]
    public void ASliceOutsideItsPesMemoryLaneIsRefusedAtCommit()
    {
        using ConnectedDevice device = EndToEndTests.OpenEmulator(DeviceProfile.EmulatorDefault);
        var link = GetLink(device.Session);
        DeviceImage compiled = ModelCompiler.Compile(RandomSparseModel.Create(3, [40, 12, 4], 0.5), device.Session.Profile);
        byte[] image = compiled.ToMemoryBytes();
        LayerInstruction first = LayerInstruction.Decode(image.AsSpan(ModelHeader.Decode(image)!.Value.InstructionsOffset))!.Value;

        // PE 1's entries moved back one lane word: into PE 0's lane, where PE 1 has no port.
        int entriesField = first.PeTableOffset + PeSliceRecord.Size + 4;
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(entriesField), BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(entriesField)) - 2);
        link.Request(FrameType.Write, WriteRequest.Encode(new DmaDescriptor(0, image.Length, 8, false, BlockKind.Slices), 0, image));

        var error = Assert.Throws<DeviceErrorException>(() => link.Request(FrameType.Commit, CommitRequest.Encode(0, image.Length, Crc32.Compute(image))));

        Assert.Equal(DeviceErrorCode.NoModel, error.Code);
        Assert.Contains("layer 0: PE 1: lane block at offset", error.Message);
        Assert.Contains("a word of lane 1", error.Message);
    }

    [Fact]
    public void WritesOutsideTheWeightRegionAreRefused()
    {
        using ConnectedDevice device = EndToEndTests.OpenEmulator(DeviceProfile.EmulatorDefault);
        byte[] write = WriteRequest.Encode(new DmaDescriptor(DeviceProfile.EmulatorDefault.PersistentBytes - 32, 64, 8, false, BlockKind.Slices), 0, new byte[64]);

        var error = Assert.Throws<DeviceErrorException>(() => GetLink(device.Session).Request(FrameType.Write, write));

        Assert.Equal(DeviceErrorCode.OutOfRange, error.Code);
    }

    internal static LinkClient GetLink(DeviceSession session) =>
        (LinkClient)typeof(DeviceSession).GetField("_link", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(session)!;
}
