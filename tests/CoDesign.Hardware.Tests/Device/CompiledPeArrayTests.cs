using System.Globalization;
using CoDesign.Model;
using CoDesign.Model.Datasets;
using CoDesign.Runtime.Deploy;
using CoDesign.Runtime.Devices;
using CoDesign.Runtime.Devices.Emulator;
using Xunit.Abstractions;

namespace CoDesign.Hardware.Tests.Device;

/// <summary>
/// The plain top with its array's PEs built from compiled_pe.v (<c>PE_ARRAY=2</c>: each PE's datapath
/// is <c>SparseMatVec.MultiplyAccumulate</c> compiled from kernels/) under Verilator: Fashion-MNIST images
/// classified exactly as the emulator does, with the same entries, shift-add steps and broadcasts, and
/// within 5 % of the cycles its cost model gives (<see cref="EmulatedEngine.CompiledPeArray"/>: each
/// compiled PE steps through every column of a layer, where pe.v sees only the broadcasts).
/// </summary>
public class CompiledPeArrayTests(ITestOutputHelper output)
{
    private const int Images = 100;

    [Fact]
    public void TheArrayOfCompiledPesClassifiesLikeTheEmulator()
    {
        SparseModel model = ModelFile.Read(BoardModels.ShippedModelPath);
        LabeledImages test = FashionMnist.LoadTest().Take(Images);
        RtlBuild array = RtlBuild.CompiledPeArray(4);
        SimulatorProcess simulator = VerilatorSimulation.Start(build: array);
        using ConnectedDevice rtl = new DeviceLink(simulator, simulator, TimeSpan.FromSeconds(20)).Connect("verilator, compiled PEs");
        using ConnectedDevice emulator = LinkServer.Connect(new EmulatorEngine(rtl.Session.Profile, costModel: array.Engine), "emulator");

        (InferenceResult fromEmulator, InferenceResult fromRtl) = SameWork.Run(emulator.Session, rtl.Session, model, test);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"4 compiled PEs: {Images} images of {model.Name} bit-exact, {fromRtl.Cycles / (double)Images:F0} cycles each against {fromEmulator.Cycles / (double)Images:F0} by its cost model (EmulatedEngine.CompiledPeArray), ratio {fromRtl.Cycles / (double)fromEmulator.Cycles:F3}"));
    }
}
