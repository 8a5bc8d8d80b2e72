using System.Diagnostics;
using System.Globalization;
using CoDesign.Model;
using CoDesign.Model.Datasets;
using CoDesign.Runtime.Compile;
using CoDesign.Runtime.Deploy;
using CoDesign.Runtime.Devices;
using Xunit.Abstractions;

namespace CoDesign.Hardware.Tests.Device;

/// <summary>
/// What the boards get, simulated at gate level under Verilator with Yosys's iCE40 cell models and
/// driven through the same UART bridge: the committed HX8K bitstream decoded back into a netlist
/// (iceunpack, icebox_vlog), and the iCEBreaker's synth_ice40 netlist (icebox cannot decode the UP5K's
/// SPRAM and DSP tiles). Each answers Hello, takes a deploy and classifies Fashion-MNIST images
/// exactly as the emulator shaped like its board does, in the cycles of its RTL.
/// </summary>
public class GateLevelTests(ITestOutputHelper output)
{
    private const int Images = 20;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public void TheHx8kBitstreamDecodedBackClassifiesLikeTheEmulator() =>
        ClassifiesLikeTheEmulator(Board.Hx8kBreakout, () => GateLevelNetlist.FromBitstream(Board.Hx8kBreakout));

    [Fact]
    public void TheIceBreakersSynthesizedNetlistClassifiesLikeTheEmulator() =>
        ClassifiesLikeTheEmulator(Board.IceBreaker, () => GateLevelNetlist.FromSynthesis(Board.IceBreaker));

    private void ClassifiesLikeTheEmulator(Board board, Func<string> netlist)
    {
        var clock = Stopwatch.StartNew();
        RtlBuild build = RtlBuild.GateLevel(board, netlist());
        TimeSpan decoded = clock.Elapsed;
        VerilatorSimulation.Build(build: build);
        TimeSpan built = clock.Elapsed;
        SparseModel model = BoardModels.Small;
        LabeledImages test = FashionMnist.LoadTest().Take(Images);
        using DeviceSession gates = DeviceSession.Open(VerilatorSimulation.Start(build: build), board.Name, Timeout);
        using ConnectedDevice emulator = HardwareDevices.Registry.Open($"emulator:{board.Name}");
        Assert.Equal(board.WeightBytes, gates.Profile.PersistentBytes);

        DeployedModel onGates = gates.Deploy(ModelCompiler.Compile(model, gates.Profile));
        Assert.Equal(1, gates.RequestStatus().Models);
        InferenceResult fromGates = gates.Infer(onGates, test.Pixels, test.Count);

        DeployedModel onEmulator = emulator.Session.Deploy(ModelCompiler.Compile(model, emulator.Session.Profile));
        InferenceResult fromEmulator = emulator.Session.Infer(onEmulator, test.Pixels, test.Count);
        SameWork.Assert(fromEmulator, fromGates);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{board.Name}: netlist {decoded.TotalSeconds:F1} s (or cached), Verilator build {(built - decoded).TotalSeconds:F1} s (or cached), " +
            $"Hello, deploy of {model.Name} and {Images} images {(clock.Elapsed - built).TotalSeconds:F1} s; {fromGates.Cycles / (double)Images:F0} cycles per image against {fromEmulator.Cycles / (double)Images:F0}"));
    }
}
