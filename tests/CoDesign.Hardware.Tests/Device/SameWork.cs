using CoDesign.Runtime.Deploy;

namespace CoDesign.Hardware.Tests.Device;

/// <summary>What the RTL must agree on with the emulator counting the sequential engine's cycles
/// (<c>emulator:sequential</c>): every output and every work counter of the batch.</summary>
internal static class SameWork
{
    public static void Assert(InferenceResult fromEmulator, InferenceResult fromRtl)
    {
        Xunit.Assert.Equal(fromEmulator.Outputs, fromRtl.Outputs);
        Xunit.Assert.Equal(fromEmulator.Entries, fromRtl.Entries);
        Xunit.Assert.Equal(fromEmulator.ShiftAddSteps, fromRtl.ShiftAddSteps);
        Xunit.Assert.Equal(fromEmulator.Broadcasts, fromRtl.Broadcasts);
        // SequentialEngineCostModel is counted state by state from layer_engine.v.
        Xunit.Assert.Equal(fromEmulator.Cycles, fromRtl.Cycles);
    }
}
