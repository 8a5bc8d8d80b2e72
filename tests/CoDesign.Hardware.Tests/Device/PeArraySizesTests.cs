using System.Globalization;
using CoDesign.Model;
using CoDesign.Model.Datasets;
using CoDesign.Runtime.Deploy;
using CoDesign.Runtime.Devices;
using Xunit.Abstractions;

namespace CoDesign.Hardware.Tests.Device;

/// <summary>
/// The plain top's PE array at each size it builds (<c>verilator --pes 2</c>: each PE reads 4-byte lane
/// words from two weight-memory banks), of compiled PEs as the device builds it and of pe.v (the
/// baseline the compiled PEs are measured against; the device's 4-PE top is held to the emulator on 500
/// images by <c>RtlLinkTests</c>): Fashion-MNIST images classified exactly as the emulator with that
/// many PEs does, with the same entries, shift-add steps and broadcasts, cycles within 5 % of the
/// array's cost model, and other counts refused.
/// </summary>
public class PeArraySizesTests(ITestOutputHelper output)
{
    private const int Images = 200;

    [Fact]
    public void TheTwoPeArrayClassifiesLikeTheEmulatorWithinItsCostModel()
    {
        using ConnectedDevice rtl = HardwareDevices.Registry.Open("verilator", peCount: 2);
        Assert.Equal(2, rtl.Session.Profile.PeCount);
        ClassifiesLikeTheEmulator(rtl, RtlBuild.CompiledPeArray(2), Images, "2 compiled PEs");
    }

    [Theory]
    [InlineData(2, Images)]
    [InlineData(4, 100)]
    public void TheArrayOfPeVClassifiesLikeTheEmulatorWithinItsCostModel(int pes, int images)
    {
        RtlBuild array = RtlBuild.PeArray(pes);
        SimulatorProcess simulator = VerilatorSimulation.Start(build: array);
        using ConnectedDevice rtl = new DeviceLink(simulator, simulator, TimeSpan.FromSeconds(20)).Connect("verilator, pe.v");
        ClassifiesLikeTheEmulator(rtl, array, images, $"{pes} PEs of pe.v");
    }

    private void ClassifiesLikeTheEmulator(ConnectedDevice rtl, RtlBuild array, int images, string name)
    {
        SparseModel model = ModelFile.Read(BoardModels.ShippedModelPath);
        LabeledImages test = FashionMnist.LoadTest().Take(images);
        using ConnectedDevice emulator = SameWork.Emulator(array, rtl.Session.Profile);
        (InferenceResult fromEmulator, InferenceResult fromRtl) = SameWork.Run(emulator.Session, rtl.Session, model, test);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: {images} images of {model.Name}, {fromRtl.Cycles / (double)images:F0} cycles each against {fromEmulator.Cycles / (double)images:F0} by the cost model ({array.Engine}), ratio {fromRtl.Cycles / (double)fromEmulator.Cycles:F4}"));
    }

    [Fact]
    public void APeCountTheArrayDoesNotBuildIsRefusedNamingTheOnesItDoes()
    {
        var error = Assert.Throws<ArgumentException>(() => HardwareDevices.Registry.Open("verilator", peCount: 3));

        Assert.Contains("4 or 2 PEs", error.Message);
        Assert.Contains("--pes 3", error.Message);
    }
}
