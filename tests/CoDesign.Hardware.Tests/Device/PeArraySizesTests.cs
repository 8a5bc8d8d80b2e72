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
/// baseline): Fashion-MNIST images classified exactly as the emulator with that many PEs does, cycles
/// within 5 % of the array's cost model, and other counts refused.
/// </summary>
public class PeArraySizesTests(ITestOutputHelper output)
{
    private const int Images = 200;

    [Fact]
    public void TheTwoPeArrayClassifiesLikeTheEmulatorWithinItsCostModel()
    {
        using ConnectedDevice rtl = HardwareDevices.Registry.Open("verilator", peCount: 2);
        Assert.Equal(2, rtl.Session.Profile.PeCount);
        ClassifiesLikeTheEmulator(rtl, RtlBuild.CompiledPeArray(2), "2 compiled PEs");
    }

    [Fact]
    public void TheTwoPeArrayOfPeVClassifiesLikeTheEmulatorWithinItsCostModel()
    {
        RtlBuild array = RtlBuild.PeArray(2);
        SimulatorProcess simulator = VerilatorSimulation.Start(build: array);
        using ConnectedDevice rtl = new DeviceLink(simulator, simulator, TimeSpan.FromSeconds(20)).Connect("verilator, pe.v");
        ClassifiesLikeTheEmulator(rtl, array, "2 PEs of pe.v");
    }

    private void ClassifiesLikeTheEmulator(ConnectedDevice rtl, RtlBuild array, string name)
    {
        SparseModel model = ModelFile.Read(BoardModels.ShippedModelPath);
        LabeledImages test = FashionMnist.LoadTest().Take(Images);
        using ConnectedDevice emulator = SameWork.Emulator(array, rtl.Session.Profile);
        (InferenceResult fromEmulator, InferenceResult fromRtl) = SameWork.Run(emulator.Session, rtl.Session, model, test);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: {Images} images of {model.Name}, {fromRtl.Cycles / (double)Images:F0} cycles each against {fromEmulator.Cycles / (double)Images:F0} by the cost model ({array.Engine}), ratio {fromRtl.Cycles / (double)fromEmulator.Cycles:F4}"));
    }

    [Fact]
    public void APeCountTheArrayDoesNotBuildIsRefusedNamingTheOnesItDoes()
    {
        var error = Assert.Throws<ArgumentException>(() => HardwareDevices.Registry.Open("verilator", peCount: 3));

        Assert.Contains("4 or 2 PEs", error.Message);
        Assert.Contains("--pes 3", error.Message);
    }
}
