using System.Globalization;
using CoDesign.Model;
using CoDesign.Model.Datasets;
using CoDesign.Runtime.Deploy;
using CoDesign.Runtime.Devices;
using Xunit.Abstractions;

namespace CoDesign.Hardware.Tests.Device;

/// <summary>
/// The plain top with its array's PEs built from compiled_pe.v (<c>PE_ARRAY=2</c>: each PE's datapath
/// is <c>SparseMatVec.MultiplyAccumulate</c> compiled from kernels/) under Verilator: Fashion-MNIST images
/// classified exactly as the emulator does, with the same entries, shift-add steps and broadcasts. Its
/// cycles are printed against the PE-array cost model, which describes pe.v's array: each compiled PE
/// steps through every column of a layer.
/// </summary>
public class CompiledPeArrayTests(ITestOutputHelper output)
{
    private const int Images = 100;

    [Fact]
    public void TheArrayOfCompiledPesClassifiesLikeTheEmulator()
    {
        SparseModel model = ModelFile.Read(BoardModels.ShippedModelPath);
        LabeledImages test = FashionMnist.LoadTest().Take(Images);
        RtlBuild array = RtlBuild.PeArray(4);
        SimulatorProcess simulator = VerilatorSimulation.Start(build: array with { Parameters = [.. array.Parameters.Select(p => p == "-GPE_ARRAY=1" ? "-GPE_ARRAY=2" : p)] });
        using ConnectedDevice rtl = new DeviceLink(simulator, simulator, TimeSpan.FromSeconds(20)).Connect("verilator, compiled PEs");
        using ConnectedDevice emulator = HardwareDevices.Registry.Open("emulator", profile: rtl.Session.Profile);

        (InferenceResult fromEmulator, InferenceResult fromRtl) = SameWork.Run(emulator.Session, rtl.Session, model, test, costModelCycles: false);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"4 compiled PEs: {Images} images of {model.Name} bit-exact, {fromRtl.Cycles / (double)Images:F0} cycles each against {fromEmulator.Cycles / (double)Images:F0} by the PE-array cost model (pe.v's array), ratio {fromRtl.Cycles / (double)fromEmulator.Cycles:F3}"));
    }
}
