namespace CoDesign.Hardware.Synthesis;

/// <summary>A port of a synthesized module, as Yosys reports it.</summary>
/// <param name="Name">The port's name.</param>
/// <param name="Direction">Input, output or inout.</param>
/// <param name="Width">Bits.</param>
/// <param name="IsClock">An input that clocks flip-flops, block RAMs or DSPs of the module; the wrapper drives it with its clock.</param>
public sealed record SynthesisPort(string Name, PortDirection Direction, int Width, bool IsClock);
