using System.Globalization;
using CoDesign.Model;
using CoDesign.Model.Datasets;
using CoDesign.Runtime.Deploy;
using CoDesign.Runtime.Devices;
using Xunit.Abstractions;

namespace CoDesign.Hardware.Tests.Device;

/// <summary>
/// The plain top's PE array at each size it builds (<c>verilator --pes 2</c>: each PE reads 4-byte lane
/// words from two weight-memory banks): Fashion-MNIST images classified exactly as the emulator with
/// that many PEs does, cycles within 5 % of the PE-array cost model, and other counts refused.
/// </summary>
public class PeArraySizesTests(ITestOutputHelper output)
{
    private const int Images = 200;

    [Fact]
    public void TheTwoPeArrayClassifiesLikeTheEmulatorWithinItsCostModel()
    {
        SparseModel model = ModelFile.Read(BoardModels.ShippedModelPath);
        LabeledImages test = FashionMnist.LoadTest().Take(Images);
        using ConnectedDevice rtl = HardwareDevices.Registry.Open("verilator", peCount: 2);
        Assert.Equal(2, rtl.Session.Profile.PeCount);
        using ConnectedDevice emulator = HardwareDevices.Registry.Open("emulator", profile: rtl.Session.Profile);
        (InferenceResult fromEmulator, InferenceResult fromRtl) = SameWork.Run(emulator.Session, rtl.Session, model, test);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"2 PEs: {Images} images of {model.Name}, {fromRtl.Cycles / (double)Images:F0} cycles each against {fromEmulator.Cycles / (double)Images:F0} by the PE-array cost model, ratio {fromRtl.Cycles / (double)fromEmulator.Cycles:F4}"));
    }

    [Fact]
    public void APeCountTheArrayDoesNotBuildIsRefusedNamingTheOnesItDoes()
    {
        var error = Assert.Throws<ArgumentException>(() => HardwareDevices.Registry.Open("verilator", peCount: 3));

        Assert.Contains("4 or 2 PEs", error.Message);
        Assert.Contains("--pes 3", error.Message);
    }
}
