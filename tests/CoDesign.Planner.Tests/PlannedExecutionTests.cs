using CoDesign.Hardware;
using CoDesign.Model;
using CoDesign.Planner.Decision;
using CoDesign.Planner.Execution;
using CoDesign.Planner.Profile;
using CoDesign.Runtime;
using CoDesign.Runtime.Compile;
using CoDesign.Runtime.Deploy;
using CoDesign.Runtime.Devices;
using CoDesign.Runtime.Devices.Cpu;
using CoDesign.Runtime.Link;
using CoDesign.TestSupport;

namespace CoDesign.Planner.Tests;

/// <summary>The execution module on the emulator: models larger than the device, carried out bit-exactly.</summary>
public class PlannedExecutionTests
{
    private static string ShippedModel
    {
        get
        {
            for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "CoDesign.sln")))
                {
                    return Path.Combine(dir.FullName, "host", "models", "fashion-mnist-mlp.cdsm");
                }
            }

            throw new DirectoryNotFoundException("no CoDesign.sln above the test");
        }
    }

    private static int[] Reference(SparseModel model, byte[] inputs)
    {
        var reference = new DenseIntegerReference(model);
        return [.. Enumerable.Range(0, inputs.Length / model.InputSize).SelectMany(i => reference.Forward(inputs.AsSpan(i * model.InputSize, model.InputSize)))];
    }

    [Fact]
    public void TheShippedModelRunsBitExactlyOnTheHx8kEmulatorThroughAPlan()
    {
        SparseModel model = ModelFile.Read(ShippedModel);
        using ConnectedDevice device = HardwareDevices.Registry.Open("emulator:hx8k-breakout");
        DeviceProfile profile = device.Session.Profile;
        Assert.False(ModelCompiler.TryCompile(model, profile, out _, out _)); // it does not fit whole
        ModelProfile measured = ModelProfile.Measure(model, profile, 1024);
        var problem = new PlanningProblem([measured], profile, RequestMix.Uniform([model.Name]), 8);
        MemoryPlan plan = IlpPlanner.Solve(problem)!;
        Assert.True(plan.Optimal);
        Assert.Contains(BlockDecision.Resident, plan.Decisions);
        Assert.Contains(BlockDecision.Streamed, plan.Decisions);
        Assert.True(measured.Bytes > 4 * profile.PersistentBytes);

        byte[] inputs = RandomSparseModel.Inputs(3, 12, model.InputSize);
        using PlannedDeployment deployment = PlannedDeployment.Deploy(device.Session, plan);
        InferenceResult result = deployment.Infer(measured, inputs, 12);

        Assert.Equal(Reference(model, inputs), result.Outputs);
        Assert.True(device.Session.Memory.UsedBytes <= plan.ResidentBytes, "streamed blocks are unloaded after their step");
        Assert.Equal(plan.Decisions.Count(d => d == BlockDecision.Streamed) * ((12 + problem.Batch - 1) / problem.Batch), deployment.StreamedBlocks);
    }

    [Fact]
    public void AModelFourTimesLargerThanTheDeviceRunsBitExactlyWithWrappingSums()
    {
        DeviceProfile profile = DeviceProfile.EmulatorDefault with { PersistentBytes = 6 * 1024, MaxPayload = 1024 };
        SparseModel model = RandomSparseModel.Create(41, [300, 200, 90, 17], 0.3, name: "big");
        Assert.True(ModelCompiler.Compile(model, DeviceProfile.EmulatorDefault).ImageBytes > 4 * profile.PersistentBytes);
        using ConnectedDevice device = LinkServer.Connect(new Runtime.Devices.Emulator.EmulatorEngine(profile), "emulator");
        ModelProfile measured = ModelProfile.Measure(model, device.Session.Profile, 768);
        MemoryPlan plan = IlpPlanner.Solve(new PlanningProblem([measured], device.Session.Profile, RequestMix.Uniform(["big"]), 4))!;

        byte[] inputs = RandomSparseModel.Inputs(5, 9, model.InputSize);
        using PlannedDeployment deployment = PlannedDeployment.Deploy(device.Session, plan);

        Assert.Equal(Reference(model, inputs), deployment.Infer(measured, inputs, 9).Outputs);
        Assert.True(deployment.StreamedBytes > 0);
    }

    [Fact]
    public void ADeviceWithoutColumnBlocksRefusesAPlanInsteadOfComputingSomethingElse()
    {
        SparseModel model = RandomSparseModel.Create(8, [64, 40, 10], 0.3, name: "small");
        using ConnectedDevice device = LinkServer.Connect(new CpuEngine(peCount: 4), "cpu");
        ModelProfile measured = ModelProfile.Measure(model, device.Session.Profile, 512);
        MemoryPlan plan = IlpPlanner.Solve(new PlanningProblem([measured], device.Session.Profile, RequestMix.Uniform(["small"]), 4, capacity: 1024))!;

        NotSupportedException refused = Assert.Throws<NotSupportedException>(() => PlannedDeployment.Deploy(device.Session, plan));
        Assert.Contains("whole models only", refused.Message);

        // And the device itself refuses a block image at its commit.
        DeviceErrorException fault = Assert.Throws<DeviceErrorException>(() => device.Session.Deploy(measured.ImageOf(0)));
        Assert.Contains("column block", fault.Message);
    }
}
