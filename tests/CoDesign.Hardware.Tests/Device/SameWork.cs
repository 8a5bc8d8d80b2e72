using CoDesign.Model;
using CoDesign.Model.Datasets;
using CoDesign.Runtime.Compile;
using CoDesign.Runtime.Deploy;

namespace CoDesign.Hardware.Tests.Device;

/// <summary>What the RTL (its PE array) must agree on with the emulator: every output and every
/// work counter of the batch exactly, and its cycles within 5 % of the emulator's cost model.</summary>
internal static class SameWork
{
    /// <summary>
    /// Compiles <paramref name="model"/> for each session's own profile, deploys it, classifies
    /// <paramref name="test"/> on both, and asserts they did the same work; with
    /// <paramref name="costModelCycles"/> false, a design the emulator's cost model does not describe,
    /// its cycles are left unchecked.
    /// </summary>
    public static (InferenceResult FromEmulator, InferenceResult FromRtl) Run(DeviceSession emulator, DeviceSession rtl, SparseModel model, LabeledImages test, bool costModelCycles = true)
    {
        DeployedModel onRtl = rtl.Deploy(ModelCompiler.Compile(model, rtl.Profile));
        DeployedModel onEmulator = emulator.Deploy(ModelCompiler.Compile(model, emulator.Profile));
        InferenceResult fromRtl = rtl.Infer(onRtl, test.Pixels, test.Count);
        InferenceResult fromEmulator = emulator.Infer(onEmulator, test.Pixels, test.Count);
        Assert(fromEmulator, fromRtl, costModelCycles);
        return (fromEmulator, fromRtl);
    }

    public static void Assert(InferenceResult fromEmulator, InferenceResult fromRtl, bool costModelCycles = true)
    {
        Xunit.Assert.Equal(fromEmulator.Outputs, fromRtl.Outputs);
        Xunit.Assert.Equal(fromEmulator.Entries, fromRtl.Entries);
        Xunit.Assert.Equal(fromEmulator.ShiftAddSteps, fromRtl.ShiftAddSteps);
        Xunit.Assert.Equal(fromEmulator.Broadcasts, fromRtl.Broadcasts);
        if (costModelCycles)
        {
            CyclesWithinCostModel(fromEmulator.Cycles, fromRtl.Cycles);
        }
    }

    /// <summary>CostModel describes the PE array engine: the RTL's cycles are within 5 % of it.</summary>
    public static void CyclesWithinCostModel(long costModel, long rtl) =>
        Xunit.Assert.InRange(rtl, (long)(costModel * 0.95), (long)(costModel * 1.05));
}
