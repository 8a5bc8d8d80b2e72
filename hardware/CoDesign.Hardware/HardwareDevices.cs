using CoDesign.Runtime.Devices;
using CoDesign.Runtime.Devices.Emulator;

namespace CoDesign.Hardware;

/// <summary>
/// The devices the hardware assembly adds to a <see cref="DeviceRegistry"/>: <c>verilator</c> (the
/// RTL's top level with the PE array under Verilator, driven through its UART pins),
/// <c>verilator:&lt;board&gt;</c> (exactly the board's top, <c>hardware/boards/&lt;board&gt;.v</c>, with
/// the iCE40 primitives it instantiates as Yosys's cell models) and <c>emulator:&lt;board&gt;</c>
/// (the emulator shaped like a board build, counting its engine's cycles). Both Verilator devices
/// write the run's waveform when asked (<see cref="DeviceRequest.Trace"/>).
/// </summary>
public static class HardwareDevices
{
    /// <summary>The registrations of this assembly's devices.</summary>
    public static IReadOnlyList<DeviceRegistration> Registrations { get; } =
    [
        new("emulator", "<board>", $"the emulator shaped like a board build ({BoardNames}), counting its engine's cycles", OpenBoardEmulator),
        new("verilator", null, "the RTL (PE array of 4 PEs, or 2 with --pes 2) simulated by Verilator", OpenVerilatorArray, Traces: true),
        new("verilator", "<board>", $"a board's top level simulated by Verilator ({BoardNames})", request => OpenVerilator(request, Board.Find(request.Argument!)), Traces: true),
    ];

    /// <summary>Every device: the runtime's and these.</summary>
    public static DeviceRegistry Registry { get; } = RuntimeDevices.Registry.With(Registrations);

    private static string BoardNames => string.Join(", ", Board.All.Select(b => b.Name));

    private static DeviceLink OpenBoardEmulator(DeviceRequest request)
    {
        Board board = Board.Find(request.Argument!);
        return LinkServer.Link(new EmulatorEngine(request.ShapeOr(board.Profile), costModel: board.Engine), request.Timeout);
    }

    // The plain top builds its array with the PEs asked for, where the array has such a build.
    private static DeviceLink OpenVerilatorArray(DeviceRequest request)
    {
        int pes = request.PeCount ?? VerilatorSimulation.Profile.PeCount;
        if (!RtlBuild.PeArrayCounts.Contains(pes))
        {
            throw new ArgumentException($"the Verilator build's PE array has {string.Join(" or ", RtlBuild.PeArrayCounts)} PEs; --pes {pes} applies to the emulator only");
        }

        return OpenVerilator(request, RtlBuild.PeArray(pes), pes);
    }

    private static DeviceLink OpenVerilator(DeviceRequest request, Board board) => OpenVerilator(request, board.Rtl, board.PeCount);

    private static DeviceLink OpenVerilator(DeviceRequest request, RtlBuild build, int buildPes)
    {
        if (request.PeCount is { } pes && pes != buildPes)
        {
            throw new ArgumentException($"the Verilator build has {buildPes} PEs; --pes {pes} applies to the emulator only");
        }

        // The simulator's process is the device and its UART is the stream.
        SimulatorProcess simulator = VerilatorSimulation.Start(build: build, trace: request.Trace);
        return new DeviceLink(simulator, simulator, request.Timeout ?? TimeSpan.FromSeconds(20));
    }
}
