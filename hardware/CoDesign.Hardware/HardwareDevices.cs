using CoDesign.Model.Files;
using CoDesign.Runtime.Devices;
using CoDesign.Runtime.Devices.Emulator;

namespace CoDesign.Hardware;

/// <summary>
/// The devices the hardware assembly adds to a <see cref="DeviceRegistry"/>: <c>verilator</c> (the
/// RTL's top level with the PE array under Verilator, driven through its UART pins),
/// <c>verilator:&lt;board&gt;</c> (exactly the board's top, <c>hardware/boards/&lt;board&gt;.v</c>, with
/// the iCE40 primitives it instantiates as Yosys's cell models) and <c>emulator:&lt;board&gt;</c>
/// (the emulator shaped like a board build, counting its engine's cycles). Both Verilator devices
/// write the run's waveform when asked (<see cref="DeviceRequest.Trace"/>). A board that boots from
/// flash is simulated with its flash chip, which holds the file named by <see cref="FlashVariable"/>
/// (<c>codesign flash -o</c>'s output), or is erased.
/// </summary>
public static class HardwareDevices
{
    /// <summary>The environment variable naming the flash contents <c>verilator:&lt;board&gt;</c> loads into the board's flash chip.</summary>
    public const string FlashVariable = "CODESIGN_FLASH";

    /// <summary>Largest flash contents file read: the iCEBreaker's 16 MiB chip.</summary>
    public const int MaxFlashBytes = 16 * 1024 * 1024;

    /// <summary>The registrations of this assembly's devices.</summary>
    public static IReadOnlyList<DeviceRegistration> Registrations { get; } =
    [
        new("emulator", "<board>", $"the emulator shaped like a board build ({BoardNames}), counting its engine's cycles", OpenBoardEmulator),
        new("verilator", null, "the RTL (PE array of 4 PEs compiled from kernels/, or 2 with --pes 2) simulated by Verilator", OpenVerilatorArray, Traces: true),
        new("verilator", "<board>", $"a board's top level simulated by Verilator ({BoardNames}); the iCEBreaker's flash chip holds ${FlashVariable} when set", OpenBoardVerilator, Traces: true),
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

        return OpenVerilator(request, RtlBuild.CompiledPeArray(pes), pes);
    }

    private static DeviceLink OpenBoardVerilator(DeviceRequest request)
    {
        Board board = Board.Find(request.Argument!);
        byte[]? flash = null;
        if (Environment.GetEnvironmentVariable(FlashVariable) is { Length: > 0 } path)
        {
            if (!board.BootsFromFlash)
            {
                throw new ArgumentException($"{FlashVariable} is set, but the {board.Name} build does not boot from flash; unset it for verilator:{board.Name}");
            }

            flash = ReadFlashFile(path);
        }

        return OpenVerilator(request, board.Rtl, board.PeCount, flash);
    }

    /// <summary>The flash contents file, checked as every input file: a regular file of at most <see cref="MaxFlashBytes"/>.</summary>
    private static byte[] ReadFlashFile(string path) =>
        InputFile.ReadAllBytes(path, "flash contents file", MaxFlashBytes, problem => new ArgumentException($"{FlashVariable}='{path}': {problem}"));

    private static DeviceLink OpenVerilator(DeviceRequest request, RtlBuild build, int buildPes, byte[]? flash = null)
    {
        if (request.PeCount is { } pes && pes != buildPes)
        {
            throw new ArgumentException($"the Verilator build has {buildPes} PEs; --pes {pes} applies to the emulator only");
        }

        // The simulator's process is the device and its UART is the stream.
        SimulatorProcess simulator = VerilatorSimulation.Start(build: build, trace: request.Trace, flash: flash);
        return new DeviceLink(simulator, simulator, request.Timeout ?? TimeSpan.FromSeconds(20));
    }
}
