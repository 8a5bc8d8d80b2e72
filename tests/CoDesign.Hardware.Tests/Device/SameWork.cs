using CoDesign.Runtime.Deploy;

namespace CoDesign.Hardware.Tests.Device;

/// <summary>What the RTL (its PE array) must agree on with the emulator: every output and every
/// work counter of the batch exactly, and its cycles within 5 % of the emulator's cost model.</summary>
internal static class SameWork
{
    public static void Assert(InferenceResult fromEmulator, InferenceResult fromRtl)
    {
        Xunit.Assert.Equal(fromEmulator.Outputs, fromRtl.Outputs);
        Xunit.Assert.Equal(fromEmulator.Entries, fromRtl.Entries);
        Xunit.Assert.Equal(fromEmulator.ShiftAddSteps, fromRtl.ShiftAddSteps);
        Xunit.Assert.Equal(fromEmulator.Broadcasts, fromRtl.Broadcasts);
        CyclesWithinCostModel(fromEmulator.Cycles, fromRtl.Cycles);
    }

    /// <summary>CostModel describes the PE array engine: the RTL's cycles are within 5 % of it.</summary>
    public static void CyclesWithinCostModel(long costModel, long rtl) =>
        Xunit.Assert.InRange(rtl, (long)(costModel * 0.95), (long)(costModel * 1.05));
}
