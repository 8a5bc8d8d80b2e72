using CoDesign.Runtime.Devices;
using CoDesign.Runtime.Devices.Emulator;

namespace CoDesign.Hardware;

/// <summary>An FPGA board the accelerator is built for: its bitstream and how to program it.</summary>
/// <param name="Name">Board name as used on the command line and under <c>bitstreams/</c>.</param>
/// <param name="Description">The board and its FPGA.</param>
/// <param name="WeightBytes">Weight memory of the build for this board; models larger than this are refused.</param>
/// <param name="FlashTool">Programmer used to flash it.</param>
/// <param name="FlashArguments">Arguments before the bitstream path.</param>
/// <param name="TopModule">Its top level: <c>hardware/boards/&lt;TopModule&gt;.v</c>.</param>
/// <param name="Package">The FPGA's package, as icebox and nextpnr name it.</param>
/// <param name="Engine">The layer engine its build carries: the cost model its cycles follow (<c>emulator:&lt;board&gt;</c> counts it).</param>
/// <param name="ScratchBytes">Scratch its Hello reports: what bounds a batch of column blocks (their sums and chained activations).</param>
/// <param name="Features">What its engine runs beyond whole models (Hello byte 30).</param>
/// <param name="PeCount">The PEs its build reports in Hello (its top's <c>PE_COUNT</c>): models are compiled for that many.</param>
/// <param name="ModelSlots">The models its build registers at once (its top's <c>MODEL_SLOTS</c>, Hello byte 31): a memory plan keeps fewer blocks.</param>
public sealed record Board(string Name, string Description, int WeightBytes, string FlashTool, IReadOnlyList<string> FlashArguments, string TopModule, string Package, EmulatedEngine Engine,
    int ScratchBytes = 4096, EngineFeatures Features = EngineFeatures.None, int PeCount = 4, int ModelSlots = 4)
{
    /// <summary>
    /// iCEBreaker: iCE40UP5K-SG48, 128 KiB of SPRAM for weights; its FT2232H programs the SPI flash, from
    /// which the build copies a model into the SPRAM at power-up (<see cref="BootsFromFlash"/>).
    /// Its engine runs column blocks too (a memory plan for models past its 128 KiB), with 2 KiB of scratch:
    /// what its 512 accumulators and 2 KiB activation buffer hold of a batch, as on the HX8K
    /// (hardware/boards/icebreaker.v); its model table (block RAM) registers 255 models, so a plan keeps many
    /// blocks resident.
    /// </summary>
    public static Board IceBreaker { get; } = new("icebreaker", "iCEBreaker (iCE40UP5K-SG48)", 128 * 1024, "openFPGALoader", ["-b", "ice40_generic"], "icebreaker", "sg48", EmulatedEngine.SequentialEngine,
        ScratchBytes: 2048, Features: EngineFeatures.ColumnBlocks, PeCount: 1, ModelSlots: 255)
    {
        BootsFromFlash = true,
    };

    /// <summary>
    /// iCE40-HX8K breakout: iCE40HX8K-CT256, 8 KiB of block RAM for weights; its FT2232H programs the SPI flash.
    /// Its engine runs column blocks (a memory plan), with 2 KiB of scratch: what its 512 accumulators and
    /// 2 KiB activation buffer hold of a batch (hardware/boards/hx8k_breakout.v).
    /// </summary>
    public static Board Hx8kBreakout { get; } = new("hx8k-breakout", "iCE40-HX8K breakout (iCE40HX8K-CT256)", 8 * 1024, "openFPGALoader", ["-b", "ice40_generic"], "hx8k_breakout", "ct256", EmulatedEngine.SequentialEngine,
        ScratchBytes: 2048, Features: EngineFeatures.ColumnBlocks, PeCount: 1, ModelSlots: 16);

    /// <summary>
    /// Whether the build loads a device image from the board's SPI flash at power-up
    /// (<c>hardware/rtl/flash_boot_loader.v</c>, the layout of <see cref="Runtime.Compile.FlashImage"/>); its
    /// simulation then carries the flash chip (<c>hardware/sim/&lt;TopModule&gt;_with_flash.v</c>).
    /// </summary>
    public bool BootsFromFlash { get; init; }

    /// <summary>All boards.</summary>
    public static IReadOnlyList<Board> All { get; } = [IceBreaker, Hx8kBreakout];

    /// <summary>The board called <paramref name="name"/>; throws <see cref="ArgumentException"/> naming the known ones.</summary>
    public static Board Find(string name) =>
        All.FirstOrDefault(b => b.Name == name) ?? throw new ArgumentException($"unknown board '{name}'; known boards: {string.Join(", ", All.Select(b => b.Name))}");

    /// <summary>
    /// The device profile the board's build reports in its Hello reply (its top level's parameters),
    /// under the board's name: models are compiled for it before the board is reached, e.g. to bake
    /// one into its bitstream.
    /// </summary>
    public Runtime.DeviceProfile Profile => VerilatorSimulation.Profile with { Name = Name, PersistentBytes = WeightBytes, ScratchBytes = ScratchBytes, Features = Features, PeCount = PeCount, ModelSlots = ModelSlots };

    /// <summary>The board's exact top level, for simulating it under Verilator.</summary>
    public RtlBuild Rtl => RtlBuild.BoardTop(this);

    /// <summary>The board's pin constraints.</summary>
    public string Constraints => Path.Combine(HardwareSources.Root, "..", "constraints", Name + ".pcf");

    /// <summary>The committed bitstream of this board.</summary>
    public string Bitstream => Path.Combine(HardwareSources.Root, "..", "bitstreams", Name, Name + ".bin");
}
