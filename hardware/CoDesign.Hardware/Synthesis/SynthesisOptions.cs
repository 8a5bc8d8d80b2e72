namespace CoDesign.Hardware.Synthesis;

/// <summary>Settings of <see cref="KernelSynthesis.Run(IReadOnlyList{string}, string, Board, SynthesisOptions?)"/>.</summary>
public sealed record SynthesisOptions
{
    /// <summary>
    /// Lets Yosys map multiplies to SB_MAC16 (<c>synth_ice40 -dsp</c>) on a device that has them. Off by
    /// default, as in hardware/build-bitstream.sh, where the DSPs are instantiated explicitly.
    /// </summary>
    public bool UseDsp { get; init; }

    /// <summary>nextpnr's placement seed; fixed so reports repeat.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>
    /// Folders searched by <c>`include</c>. Null: each source's folder and its <c>generated</c>
    /// subfolder (hardware/rtl/generated holds the include files of hardware/rtl).
    /// </summary>
    public IReadOnlyList<string>? IncludeDirectories { get; init; }

    /// <summary>Parameters of the top module to set (Yosys <c>chparam</c>) instead of its defaults; null: the defaults.</summary>
    public IReadOnlyDictionary<string, string>? Parameters { get; init; }

    /// <summary>Limit for each tool run.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);
}
