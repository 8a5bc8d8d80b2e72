namespace CoDesign.Runtime.Devices.Emulator;

/// <summary>Which accelerator the emulator's cycle counts describe (its results are the same for each).</summary>
public enum EmulatedEngine
{
    /// <summary>The EIE-style array of PEs, one CCS entry per cycle each (<see cref="PeArrayCostModel"/>).</summary>
    PeArray,

    /// <summary>The sequential layer engine the board builds carry today (<see cref="SequentialEngineCostModel"/>):
    /// its counts equal the simulated RTL's cycle counter.</summary>
    SequentialEngine,

    /// <summary>The PE array with each PE's datapath compiled from kernels/ (hardware/rtl/compiled_pe.v,
    /// <c>PE_ARRAY=2</c>): its kernel steps through every column of a layer (<see cref="PeArrayCostModel.CompiledPeBusy"/>).</summary>
    CompiledPeArray,
}
