namespace CoDesign.Hardware.Synthesis;

/// <summary>An iCE40 device and package as nextpnr-ice40 names them, e.g. the iCEBreaker's UP5K in the SG48 package.</summary>
/// <param name="Name">Short name used in reports and the delay model (<c>up5k</c>, <c>hx8k</c>).</param>
/// <param name="Package">The package (<c>sg48</c>, <c>ct256</c>).</param>
/// <param name="HasDsp">Whether the device has SB_MAC16 blocks (only the UP5K here).</param>
public sealed record Ice40Device(string Name, string Package, bool HasDsp)
{
    /// <summary>iCE40UP5K-SG48 (iCEBreaker).</summary>
    public static Ice40Device Up5kSg48 { get; } = new("up5k", "sg48", HasDsp: true);

    /// <summary>iCE40HX8K-CT256 (HX8K breakout).</summary>
    public static Ice40Device Hx8kCt256 { get; } = new("hx8k", "ct256", HasDsp: false);

    /// <summary>nextpnr-ice40's device and package arguments, e.g. <c>--up5k --package sg48</c>.</summary>
    public IReadOnlyList<string> NextpnrArguments => [$"--{Name}", "--package", Package];

    /// <summary>The device of <paramref name="board"/>'s FPGA, as hardware/build-bitstream.sh builds for it.</summary>
    public static Ice40Device For(Board board) => board.Name switch
    {
        "icebreaker" => Up5kSg48,
        "hx8k-breakout" => Hx8kCt256,
        _ => throw new ArgumentException($"no iCE40 device is known for board '{board.Name}'", nameof(board)),
    };
}
