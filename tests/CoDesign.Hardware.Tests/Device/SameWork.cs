using CoDesign.Model;
using CoDesign.Model.Datasets;
using CoDesign.Runtime;
using CoDesign.Runtime.Compile;
using CoDesign.Runtime.Deploy;
using CoDesign.Runtime.Devices;
using CoDesign.Runtime.Devices.Emulator;

namespace CoDesign.Hardware.Tests.Device;

/// <summary>What the RTL (its PE array) must agree on with the emulator: every output and every
/// work counter of the batch exactly, and its cycles within 5 % of the emulator's cost model.</summary>
internal static class SameWork
{
    /// <summary>The emulator shaped by <paramref name="profile"/>, counting cycles by the cost model of <paramref name="build"/>'s engine.</summary>
    public static ConnectedDevice Emulator(RtlBuild build, DeviceProfile profile) =>
        LinkServer.Connect(new EmulatorEngine(profile, costModel: build.Engine), "emulator");

    /// <summary>
    /// Compiles <paramref name="model"/> for each session's own profile, deploys it, classifies
    /// <paramref name="test"/> on both, and asserts they did the same work.
    /// </summary>
    public static (InferenceResult FromEmulator, InferenceResult FromRtl) Run(DeviceSession emulator, DeviceSession rtl, SparseModel model, LabeledImages test)
    {
        DeployedModel onRtl = rtl.Deploy(ModelCompiler.Compile(model, rtl.Profile));
        DeployedModel onEmulator = emulator.Deploy(ModelCompiler.Compile(model, emulator.Profile));
        InferenceResult fromRtl = rtl.Infer(onRtl, test.Pixels, test.Count);
        InferenceResult fromEmulator = emulator.Infer(onEmulator, test.Pixels, test.Count);
        Assert(fromEmulator, fromRtl);
        return (fromEmulator, fromRtl);
    }

    public static void Assert(InferenceResult fromEmulator, InferenceResult fromRtl)
    {
        Xunit.Assert.Equal(fromEmulator.Outputs, fromRtl.Outputs);
        Xunit.Assert.Equal(fromEmulator.Entries, fromRtl.Entries);
        Xunit.Assert.Equal(fromEmulator.ShiftAddSteps, fromRtl.ShiftAddSteps);
        Xunit.Assert.Equal(fromEmulator.Broadcasts, fromRtl.Broadcasts);
        CyclesWithinCostModel(fromEmulator.Cycles, fromRtl.Cycles);
    }

    /// <summary>The emulator's cost model describes the design's engine: the RTL's cycles are within 5 % of it.</summary>
    public static void CyclesWithinCostModel(long costModel, long rtl) =>
        Xunit.Assert.InRange(rtl, (long)(costModel * 0.95), (long)(costModel * 1.05));
}
