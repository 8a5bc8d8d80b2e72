namespace CoDesign.Runtime.Devices.Emulator;

/// <summary>Which accelerator the emulator's cycle counts describe (its results are the same for both).</summary>
public enum EmulatedEngine
{
    /// <summary>The EIE-style array of PEs, one CCS entry per cycle each (<see cref="PeArrayCostModel"/>).</summary>
    PeArray,

    /// <summary>The sequential layer engine the board builds carry today (<see cref="SequentialEngineCostModel"/>):
    /// its counts equal the simulated RTL's cycle counter.</summary>
    SequentialEngine,
}
