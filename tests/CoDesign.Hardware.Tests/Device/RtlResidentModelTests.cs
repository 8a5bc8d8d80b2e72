using CoDesign.Model;
using CoDesign.Model.Datasets;
using CoDesign.Runtime;
using CoDesign.Runtime.Compile;
using CoDesign.Runtime.Deploy;
using CoDesign.Runtime.Devices;

namespace CoDesign.Hardware.Tests.Device;

/// <summary>
/// The RTL built with a device image baked into its weight memory (weight_memory's INIT_FILE, as
/// <c>build-bitstream.sh --model</c> bakes one into a board's block RAM): the host adopts the model
/// with a Commit alone, the RTL's own CRC and header check accept it, and it classifies real
/// Fashion-MNIST images exactly as the emulator does with the deployed model.
/// </summary>
public class RtlResidentModelTests
{
    private const int Images = 20;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public void TheBakedModelIsAdoptedWithoutSendingItAndClassifiesLikeTheEmulatorBitForBit()
    {
        SparseModel model = ModelFile.Read(ShippedModelPath);
        LabeledImages test = FashionMnist.LoadTest().Take(Images);
        DeviceImage baked = ModelCompiler.Compile(model, VerilatorSimulation.Profile);
        using DeviceSession rtl = DeviceSession.Open(VerilatorSimulation.Start(baked.ToMemoryBytes()), "rtl-sim", Timeout);
        using ConnectedDevice emulator = SameWork.Emulator(RtlBuild.Default, DeviceProfile.EmulatorDefault);
        DeployedModel onEmulator = emulator.Session.Deploy(ModelCompiler.Compile(model, emulator.Session.Profile));
        Assert.Equal(VerilatorSimulation.Profile, rtl.Profile);
        long sentBefore = rtl.Link.BytesSent;

        DeployedModel adopted = rtl.Adopt(baked, 0);

        Assert.True(rtl.Link.BytesSent - sentBefore < 64, $"adopting sent {rtl.Link.BytesSent - sentBefore} bytes");
        Assert.Equal(1, rtl.RequestStatus().Models);
        InferenceResult fromRtl = rtl.Infer(adopted, test.Pixels, test.Count);
        InferenceResult fromEmulator = emulator.Session.Infer(onEmulator, test.Pixels, test.Count);
        SameWork.Assert(fromEmulator, fromRtl);

        // The persistent region: a soft reset keeps the baked weights and the registration.
        rtl.Reset();
        Assert.Equal(fromEmulator.Outputs[..(2 * model.OutputSize)], rtl.Infer(adopted, test.Pixels.AsSpan(0, 2 * test.ImageSize), 2).Outputs);
    }

    [Fact]
    public void AnotherModelIsRefusedBecauseTheRtlsMemoryDoesNotHoldIt()
    {
        SparseModel model = ModelFile.Read(ShippedModelPath);
        DeviceImage baked = ModelCompiler.Compile(model, VerilatorSimulation.Profile);
        var other = new SparseModel("other", model.InputSize, [.. model.Layers.SkipLast(1), WithBias(model.Layers[^1], 1)]);
        using DeviceSession rtl = DeviceSession.Open(VerilatorSimulation.Start(baked.ToMemoryBytes()), "rtl-sim", Timeout);

        var error = Assert.Throws<ImageNotResidentException>(() => rtl.Adopt(ModelCompiler.Compile(other, rtl.Profile), 0));

        Assert.Contains("'other' at address 0", error.Message);
        Assert.Equal(0, rtl.RequestStatus().Models);
        rtl.Adopt(baked, 0);
        Assert.Equal(1, rtl.RequestStatus().Models);
    }

    /// <summary>The layer with <paramref name="delta"/> added to its first bias: one different image byte.</summary>
    private static SparseLayer WithBias(SparseLayer layer, int delta)
    {
        int[] bias = [.. layer.Bias];
        bias[0] += delta;
        return new SparseLayer(layer.Weights, layer.Codebook, bias, layer.Output, layer.OutputShift, layer.WeightScale);
    }

    private static string ShippedModelPath => Path.Combine(HardwareSources.Root, "..", "host", "models", "fashion-mnist-mlp.cdsm");
}
