namespace CoDesign.Hardware.Synthesis;

/// <summary>
/// What a module costs on an iCE40 and how fast it runs: cell counts from Yosys's <c>synth_ice40</c>
/// of the module alone, and its maximum clock frequency from nextpnr-ice40 with every input fed from
/// a flip-flop and every output captured in one (see <see cref="KernelSynthesis"/>).
/// </summary>
/// <param name="Top">The module.</param>
/// <param name="Device">The device it was placed and routed for.</param>
/// <param name="Lut4">SB_LUT4 cells.</param>
/// <param name="FlipFlops">Flip-flops (every SB_DFF* variant).</param>
/// <param name="Carries">SB_CARRY cells (they share a logic cell with a LUT).</param>
/// <param name="BlockRams">SB_RAM40_4K block RAMs (4 kbit each).</param>
/// <param name="Dsps">SB_MAC16 DSP blocks.</param>
/// <param name="SpRams">SB_SPRAM256KA single-port RAMs (UP5K only).</param>
/// <param name="FmaxMHz">
/// nextpnr's maximum frequency of the clock in MHz, register to register through the module;
/// <see cref="double.PositiveInfinity"/> when no timing path goes through it (no outputs).
/// </param>
/// <param name="Ports">The module's ports.</param>
/// <param name="CriticalPath">The lines of the module's sources that nextpnr's critical path passes through, in order (empty without timing).</param>
public sealed record SynthesisReport(
    string Top,
    Ice40Device Device,
    int Lut4,
    int FlipFlops,
    int Carries,
    int BlockRams,
    int Dsps,
    int SpRams,
    double FmaxMHz,
    IReadOnlyList<SynthesisPort> Ports,
    IReadOnlyList<SourceLine> CriticalPath)
{
    /// <summary>One line for logs and the command line, e.g. <c>crc32_update on up5k: 44 LUT4, 0 FF, 0 EBR, 0 DSP, 95.9 MHz</c>.</summary>
    public override string ToString() =>
        $"{Top} on {Device.Name}: {Lut4} LUT4, {FlipFlops} FF, {Carries} carry, {BlockRams} EBR, {Dsps} DSP, {SpRams} SPRAM, "
        + (double.IsPositiveInfinity(FmaxMHz) ? "no timing path" : FormattableString.Invariant($"{FmaxMHz:0.0} MHz"));
}

/// <summary>A line of a source file, by the file's name (no folder).</summary>
/// <param name="File">The file's name.</param>
/// <param name="Line">The line, from 1.</param>
public sealed record SourceLine(string File, int Line);
