namespace CoDesign.Hardware.Kernels;

/// <summary>Which simulator runs a compiled kernel.</summary>
public enum KernelSimulator
{
    /// <summary>Icarus Verilog: compiles in a fraction of a second (tests run hundreds of kernels).</summary>
    Icarus,

    /// <summary>Verilator (<c>--binary --timing</c>): slower to build, the simulator the accelerator's top uses.</summary>
    Verilator,
}
