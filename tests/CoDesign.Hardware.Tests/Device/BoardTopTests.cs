using System.Diagnostics;
using System.Globalization;
using CoDesign.Model;
using CoDesign.Model.Datasets;
using CoDesign.Runtime.Compile;
using CoDesign.Runtime.Deploy;
using CoDesign.Runtime.Devices;
using CoDesign.TestSupport;
using Xunit.Abstractions;

namespace CoDesign.Hardware.Tests.Device;

/// <summary>
/// Each board's exact top (<c>verilator:&lt;board&gt;</c>: <c>hardware/boards/&lt;board&gt;.v</c> with its
/// parameters, its SPRAM and SB_MAC16 as Yosys's cell models) driven through its UART pins: it
/// classifies Fashion-MNIST images exactly as the emulator shaped like that board does, with its
/// cycles within 5 % of that build's cost model; and <c>--trace</c> writes the run's waveform.
/// </summary>
public class BoardTopTests(ITestOutputHelper output)
{
    private const int Images = 200;

    public static TheoryData<string> Boards() => [.. Board.All.Select(b => b.Name)];

    [Theory]
    [MemberData(nameof(Boards))]
    public void TheBoardsTopClassifiesLikeItsEmulatorWithinItsCostModel(string name)
    {
        Board board = Board.Find(name);
        SparseModel model = BoardModels.For(board);
        LabeledImages test = FashionMnist.LoadTest().Take(Images);
        var clock = Stopwatch.StartNew();
        using ConnectedDevice rtl = HardwareDevices.Registry.Open($"verilator:{name}");
        TimeSpan build = clock.Elapsed;
        using ConnectedDevice emulator = HardwareDevices.Registry.Open($"emulator:{name}");
        Assert.Equal(board.WeightBytes, rtl.Session.Profile.PersistentBytes);
        Assert.Equal(emulator.Session.Profile.PeCount, rtl.Session.Profile.PeCount);
        (InferenceResult fromEmulator, InferenceResult fromRtl) = SameWork.Run(emulator.Session, rtl.Session, model, test);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: {Images} images of {model.Name}, {fromRtl.Cycles / (double)Images:F0} cycles each against {fromEmulator.Cycles / (double)Images:F0} by its cost model ({board.Engine}), ratio {fromRtl.Cycles / (double)fromEmulator.Cycles:F4}; " +
            $"build or cache {build.TotalSeconds:F1} s, run {(clock.Elapsed - build).TotalSeconds:F1} s"));
    }

    [Fact]
    public void TraceWritesAWaveformWithAFrameArrivingAndALayerComputing()
    {
        SparseModel model = RandomSparseModel.Create(23, [40, 24, 10], 0.3, peCount: 1);
        string vcd = Path.Combine(Path.GetTempPath(), $"codesign-trace-{Guid.NewGuid():N}.vcd");
        try
        {
            using (ConnectedDevice rtl = HardwareDevices.Registry.Open($"verilator:{Board.Hx8kBreakout.Name}", trace: vcd))
            {
                DeployedModel deployed = rtl.Session.Deploy(ModelCompiler.Compile(model, rtl.Session.Profile));
                byte[] input = RandomSparseModel.Inputs(3, 1, model.InputSize);
                Assert.Equal(new DenseIntegerReference(model).Forward(input), rtl.Session.Infer(deployed, input, 1).OutputsOf(0).ToArray());
            }

            // The simulator has ended and closed its trace. Two VCD time units per clock cycle.
            VcdTrace trace = VcdTrace.Read(vcd, "accelerator.frame_valid", "accelerator.engine_active", "uart_rx");
            IReadOnlyList<long> frames = trace.Rises("accelerator.frame_valid");
            IReadOnlyList<long> layers = trace.Rises("accelerator.engine_active");
            output.WriteLine($"{new FileInfo(vcd).Length:N0} bytes of VCD; {frames.Count} frames received, the engine started {layers.Count} time(s), ran {trace.TimeHigh("accelerator.engine_active") / 2:N0} cycles");
            Assert.True(trace.Rises("uart_rx").Count > 100, "the rx pin hardly moved");
            Assert.True(frames.Count >= 3, $"{frames.Count} frames (Hello, Write, Commit, Run expected)");
            Assert.Single(layers);
            Assert.True(frames[0] < layers[0], "the engine ran before any frame arrived");
            Assert.True(trace.TimeHigh("accelerator.engine_active") / 2 > 100, "the engine ran for next to no cycles");
        }
        finally
        {
            File.Delete(vcd);
        }
    }

    [Fact]
    public void TraceIsRefusedByADeviceThatCannotWriteOne()
    {
        var error = Assert.Throws<ArgumentException>(() => HardwareDevices.Registry.Open("emulator", trace: "x.vcd"));

        Assert.Contains("cannot write a waveform", error.Message);
        Assert.Contains("verilator:<board>", error.Message);
    }
}
