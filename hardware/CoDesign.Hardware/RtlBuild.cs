using CoDesign.Runtime.Devices.Emulator;

namespace CoDesign.Hardware;

/// <summary>
/// A design Verilator builds into a simulator that <c>hardware/sim/uart_bridge.cpp</c> drives through
/// its pins: its top module, the files that describe it, the parameters set on the top, and the pin
/// map of that top (<c>hardware/sim/pins/&lt;top&gt;.h</c>: which pins are held, which one shows busy).
/// </summary>
/// <param name="TopModule">The module Verilator builds.</param>
/// <param name="Sources">Verilog files compiled as they are.</param>
/// <param name="Libraries">Verilog files modules are taken from only where the design uses them (<c>-v</c>): Yosys's iCE40 cell models.</param>
/// <param name="Parameters">The top's parameters set by the build (<c>-G</c>).</param>
/// <param name="Pins">The bridge's pin map for <paramref name="TopModule"/>'s ports.</param>
/// <param name="Engine">The layer engine the design carries, whose cost model its cycle counter follows.</param>
public sealed record RtlBuild(string TopModule, IReadOnlyList<string> Sources, IReadOnlyList<string> Libraries, IReadOnlyList<string> Parameters, string Pins, EmulatedEngine Engine)
{
    /// <summary>The PE counts <see cref="PeArray"/> builds: one PE per weight-memory bank, or one per two banks.</summary>
    public static IReadOnlyList<int> PeArrayCounts { get; } = [4, 2];

    /// <summary>
    /// The default simulation: <c>accelerator_top</c> with the 4-PE array of compiled PEs (<see cref="CompiledPeArray"/>:
    /// each PE's datapath compiled from kernels/) and 128 KiB of weight memory.
    /// </summary>
    public static RtlBuild Default => CompiledPeArray(4);

    /// <summary>
    /// <c>accelerator_top</c> with a PE array of <paramref name="peCount"/> hand-written PEs (pe.v, one of <see cref="PeArrayCounts"/>) and 128 KiB of weight memory,
    /// running column blocks with 2 KiB of scratch (what its 512 accumulators and the activation buffer's upper half hold of a batch):
    /// the baseline the compiled PEs are measured against.
    /// </summary>
    public static RtlBuild PeArray(int peCount) => PeArrayCounts.Contains(peCount)
        ? new("accelerator_top", HardwareSources.AllRtl(), [], ["-GPE_ARRAY=1", $"-GPE_COUNT={peCount}", "-GMEM_BITS=17", "-GCOLUMN_BLOCKS=1", "-GSCRATCH_BYTES=2048", $"-GCLKS_PER_BIT={VerilatorSimulation.SimulatedClocksPerBit}"],
            PinMap("accelerator_top"), EmulatedEngine.PeArray)
        : throw new ArgumentOutOfRangeException(nameof(peCount), peCount, $"the PE array builds with {string.Join(" or ", PeArrayCounts)} PEs");

    /// <summary>
    /// <see cref="PeArray"/> with each PE built from compiled_pe.v (<c>PE_ARRAY=2</c>), whose datapath is
    /// <c>SparseMatVec.MultiplyAccumulate</c> compiled from kernels/; its cycles follow <see cref="EmulatedEngine.CompiledPeArray"/>.
    /// </summary>
    public static RtlBuild CompiledPeArray(int peCount)
    {
        RtlBuild array = PeArray(peCount);
        return array with { Parameters = [.. array.Parameters.Select(p => p == "-GPE_ARRAY=1" ? "-GPE_ARRAY=2" : p)], Engine = EmulatedEngine.CompiledPeArray };
    }

    /// <summary>
    /// Exactly what <paramref name="board"/>'s bitstream is built from: its top in <c>hardware/boards</c>
    /// with the parameters it sets, over the same RTL, and the iCE40 primitives it instantiates (SPRAM,
    /// SB_MAC16) as Yosys's cell models, which are what synthesis maps them to.
    /// </summary>
    /// <remarks>
    /// A board that boots from flash is simulated with its flash chip (<c>hardware/sim/spi_flash_model.v</c>)
    /// wired to the top's flash pins (<c>hardware/sim/&lt;top&gt;_with_flash.v</c>), whose contents the
    /// simulator takes from a file (<see cref="VerilatorSimulation.Start"/>).
    /// </remarks>
    public static RtlBuild BoardTop(Board board)
    {
        string[] sources = [.. HardwareSources.AllRtl(), HardwareSources.BoardTop(board.TopModule)];
        if (!board.BootsFromFlash)
        {
            return new(board.TopModule, sources, [HardwareSources.Ice40CellModels], [], PinMap(board.TopModule), board.Engine);
        }

        string withFlash = board.TopModule + "_with_flash";
        return new(withFlash, [.. sources, HardwareSources.Simulation("spi_flash_model.v"), HardwareSources.Simulation(withFlash + ".v")], [HardwareSources.Ice40CellModels], [], PinMap(withFlash), board.Engine)
        {
            HasFlashChip = true,
        };
    }

    /// <summary>
    /// A gate-level netlist of <paramref name="board"/>'s top (decoded from its bitstream, or written
    /// after synthesis) with the board top's module name and ports, over Yosys's iCE40 cell models.
    /// </summary>
    /// <param name="board">The board whose top the netlist implements.</param>
    /// <param name="netlist">The netlist's Verilog file.</param>
    public static RtlBuild GateLevel(Board board, string netlist) =>
        new(board.TopModule, [netlist], [HardwareSources.Ice40CellModels], [], PinMap(board.TopModule), board.Engine);

    /// <summary>Whether the design carries a model of the board's SPI flash chip, whose contents the simulator loads from a file.</summary>
    public bool HasFlashChip { get; init; }

    /// <summary>Whether the design takes modules from Yosys's iCE40 cell models.</summary>
    public bool UsesIce40Cells => Libraries.Count > 0;

    private static string PinMap(string top) => HardwareSources.Existing(Path.Combine(HardwareSources.Root, "sim", "pins", top + ".h"));
}
