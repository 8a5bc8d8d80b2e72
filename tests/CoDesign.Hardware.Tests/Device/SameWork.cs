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
        // CostModel describes the PE array engine that the Verilator device simulates.
        Xunit.Assert.InRange(fromRtl.Cycles, (long)(fromEmulator.Cycles * 0.95), (long)(fromEmulator.Cycles * 1.05));
    }
}
