using CoDesign.Gpu.Inference;
using CoDesign.Model;
using CoDesign.Runtime;
using CoDesign.Runtime.Compile;
using CoDesign.Runtime.Deploy;
using CoDesign.Runtime.Devices;
using CoDesign.Runtime.Devices.Emulator;
using CoDesign.TestSupport;

namespace CoDesign.Gpu.Tests;

/// <summary>
/// The GPU device (ILGPU's CPU accelerator here) against the emulator on the same device image: the
/// same outputs and the same work counters, its weight region in GPU memory.
/// </summary>
public class GpuDeviceTests
{
    private static readonly DeviceRegistry Registry = RuntimeDevices.Registry.With(GpuDevices.Registrations);

    [Fact]
    public void TheShippedModelGivesTheEmulatorsOutputsAndCountsOnRealImages()
    {
        SparseModel model = ModelFile.Read(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "host", "models", "fashion-mnist-mlp.cdsm"));
        byte[] images = RandomSparseModel.Inputs(7, 300, model.InputSize);

        using ConnectedDevice gpu = Registry.Open("gpu:cpu");
        DeviceProfile profile = gpu.Session.Profile;
        using ConnectedDevice emulator = LinkServer.Connect(new EmulatorEngine(profile), "emulator");
        DeviceImage image = ModelCompiler.Compile(model, profile);
        InferenceResult onGpu = gpu.Session.Infer(gpu.Session.Deploy(image), images, 300);
        InferenceResult onEmulator = emulator.Session.Infer(emulator.Session.Deploy(ModelCompiler.Compile(model, profile)), images, 300);

        Assert.Equal(("gpu-cpu", 1, CycleSource.HostClock), (profile.Name, profile.PeCount, profile.Cycles));
        for (int i = 0; i < 300; i++)
        {
            Assert.True(onEmulator.OutputsOf(i).SequenceEqual(onGpu.OutputsOf(i)), $"image {i}");
        }

        Assert.Equal((onEmulator.Entries, onEmulator.ShiftAddSteps, onEmulator.Broadcasts), (onGpu.Entries, onGpu.ShiftAddSteps, onGpu.Broadcasts));
        Assert.Equal(0, image.HostBytesHeld); // every chunk freed once the GPU had it
    }

    [Fact]
    public void DeployedBytesLiveInGpuMemoryAndACorruptedUploadIsRefusedAtCommit()
    {
        using var engine = new GpuEngine("cpu");
        DeviceImage image = ModelCompiler.Compile(RandomSparseModel.Create(5, [40, 20, 6], 0.4, peCount: 1), engine.Profile);
        byte[] bytes = image.ToMemoryBytes();
        engine.Memory.Write(0, bytes);
        var back = new byte[bytes.Length];
        engine.Memory.Read(0, back);
        Assert.Equal(bytes, back);

        // A byte changed on the GPU after the upload: the commit's CRC over GPU memory catches it.
        engine.Memory.Write(bytes.Length / 2, [(byte)(bytes[bytes.Length / 2] ^ 0x40)]);
        var server = new LinkServer(engine);
        Runtime.Link.Frame reply = server.Handle(new Runtime.Link.Frame(Runtime.Link.FrameType.Commit, 1, Runtime.Link.CommitRequest.Encode(0, bytes.Length, Kernels.Crc32.Compute(bytes))));
        Assert.Equal(Runtime.Link.FrameType.Error, reply.Type);
        Assert.Equal((byte)Runtime.Link.DeviceErrorCode.ImageChecksum, reply.Payload[0]);
    }

    [Theory]
    [InlineData("gpu:tpu", "unknown accelerator 'tpu'")]
    [InlineData("gpu:cuda", "accelerator 'cuda' is not available")]
    public void AcceleratorsThatAreNotThereAreClearErrors(string name, string message)
    {
        Exception error = Assert.ThrowsAny<Exception>(() => Registry.Open(name));

        Assert.True(error is ArgumentException or InvalidOperationException, error.ToString());
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void TheWorkCounterLaunchCompilesToPtx() =>
        Assert.Matches(@"\.visible \.entry \S*AddLayer", PtxCompiler.Compile(typeof(GpuWorkCounts).GetMethod(nameof(GpuWorkCounts.AddLayer))!, ILGPU.Runtime.Cuda.CudaArchitecture.SM_90));
}
