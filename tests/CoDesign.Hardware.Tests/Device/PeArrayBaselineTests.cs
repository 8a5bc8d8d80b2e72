using System.Globalization;
using CoDesign.Model;
using CoDesign.Model.Datasets;
using CoDesign.Runtime.Deploy;
using CoDesign.Runtime.Devices;
using Xunit.Abstractions;

namespace CoDesign.Hardware.Tests.Device;

/// <summary>
/// The plain top on pe.v's array (<see cref="RtlBuild.PeArray"/>), the baseline the compiled PEs of the
/// <c>verilator</c> device are measured against (that device's top is held to the emulator on 500 images
/// by <c>RtlLinkTests</c>): Fashion-MNIST images classified exactly as the emulator does, with the same
/// entries, shift-add steps and broadcasts, and within 5 % of the cycles of pe.v's array's cost model.
/// </summary>
public class PeArrayBaselineTests(ITestOutputHelper output)
{
    private const int Images = 100;

    [Fact]
    public void TheArrayOfPeVClassifiesLikeTheEmulator()
    {
        SparseModel model = ModelFile.Read(BoardModels.ShippedModelPath);
        LabeledImages test = FashionMnist.LoadTest().Take(Images);
        RtlBuild array = RtlBuild.PeArray(4);
        SimulatorProcess simulator = VerilatorSimulation.Start(build: array);
        using ConnectedDevice rtl = new DeviceLink(simulator, simulator, TimeSpan.FromSeconds(20)).Connect("verilator, pe.v");
        using ConnectedDevice emulator = SameWork.Emulator(array, rtl.Session.Profile);

        (InferenceResult fromEmulator, InferenceResult fromRtl) = SameWork.Run(emulator.Session, rtl.Session, model, test);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"4 PEs of pe.v: {Images} images of {model.Name} bit-exact, {fromRtl.Cycles / (double)Images:F0} cycles each against {fromEmulator.Cycles / (double)Images:F0} by its cost model ({array.Engine}), ratio {fromRtl.Cycles / (double)fromEmulator.Cycles:F3}"));
    }
}
