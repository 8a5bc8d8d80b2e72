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
        Assert.Contains(Enumerable.Range(0, problem.Blocks.Count), i => plan.KindOf(i) == ResidencyKind.Always);
        Assert.Contains(Enumerable.Range(0, problem.Blocks.Count), i => plan.KindOf(i) == ResidencyKind.Streamed);
        Assert.True(measured.Bytes > 4 * profile.PersistentBytes);

        byte[] inputs = RandomSparseModel.Inputs(3, 12, model.InputSize);
        using PlannedDeployment deployment = PlannedDeployment.Deploy(device.Session, plan);
        InferenceResult result = deployment.Infer(measured, inputs, 12);

        Assert.Equal(Reference(model, inputs), result.Outputs);
        Assert.True(device.Session.Memory.UsedBytes <= plan.AlwaysResidentBytes, "streamed blocks are unloaded after their step");
        Assert.True(deployment.PeakBytes <= plan.PeakBytes && plan.PeakBytes <= profile.PersistentBytes);
        int streamed = Enumerable.Range(0, problem.Blocks.Count).Count(i => plan.KindOf(i) == ResidencyKind.Streamed);
        Assert.Equal(streamed * ((12 + problem.Batch - 1) / problem.Batch), deployment.StreamedBlocks);
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
    public void ALayerWhoseSumsPassTheScratchRunsInRowBlocksThroughTheHostAndOnlyThatLayerIsCut()
    {
        // 1,024 rows: one input's sums and activations (5 KiB) pass the HX8K's 2 KiB of scratch. The
        // layer after it (96 rows) fits, takes its input from the host and chains into the last.
        SparseModel model = RandomSparseModel.Create(43, [128, 1024, 96, 10], 0.9, name: "wide");
        using ConnectedDevice device = HardwareDevices.Registry.Open("emulator:hx8k-breakout");
        DeviceProfile profile = device.Session.Profile;
        ModelProfile measured = ModelProfile.Measure(model, profile, ModelProfile.DefaultBlockBytes(profile));

        BlockProfile[] cut = [.. measured.Blocks.Where(b => b.IsRowBlock)];
        Assert.All(cut, b => Assert.Equal(0, b.Layer));
        int rowBlocks = cut.Select(b => b.FirstRow).Distinct().Count();
        Assert.InRange(rowBlocks, 3, 8);
        Assert.Equal(1024, cut.Where(b => b.FirstCol == 0).Sum(b => b.Rows));     // the row blocks tile the layer
        Assert.All(measured.Blocks.Where(b => b.Layer == 1), b => Assert.Equal(0, (int)(b.Flags & BlockFlags.ChainIn)));
        Assert.Contains(measured.Blocks, b => b.Layer == 1 && (b.Flags & BlockFlags.ChainOut) != 0);
        Assert.All(measured.Blocks.Where(b => b.Layer == 2), b => Assert.NotEqual(0, (int)(b.Flags & BlockFlags.ChainIn)));
        // The input goes once per row block, the 1,024 sums come back and go out again as layer 1's input.
        double runBytes = measured.RunBytesPerInput(int.MaxValue);
        Assert.Equal((rowBlocks * 128) + (4 * 1024) + 1024 + (4 * 10), runBytes, 0.01);   // headers shared by a batch of 2^31

        MemoryPlan plan = IlpPlanner.Solve(new PlanningProblem([measured], profile, RequestMix.Uniform(["wide"]), 8))!;
        byte[] inputs = RandomSparseModel.Inputs(7, 5, model.InputSize);
        using PlannedDeployment deployment = PlannedDeployment.Deploy(device.Session, plan);

        Assert.Equal(Reference(model, inputs), deployment.Infer(measured, inputs, 5).Outputs);
    }

    [Theory]
    [InlineData(512)]
    [InlineData(256)]
    public void OnATinyScratchEveryLayerIsCutUntilItFitsAndTheModelStillRunsBitExactly(int scratch)
    {
        // 256 bytes of scratch: a row block of the 200-row layer holds about 40 rows, and the Run's input
        // columns must leave them room.
        DeviceProfile profile = DeviceProfile.EmulatorDefault with { PersistentBytes = 6 * 1024, ScratchBytes = scratch, MaxPayload = 1024 };
        SparseModel model = RandomSparseModel.Create(45, [300, 200, 60, 10], 0.4, name: "tiny");
        using ConnectedDevice device = LinkServer.Connect(new Runtime.Devices.Emulator.EmulatorEngine(profile), "emulator");
        ModelProfile measured = ModelProfile.Measure(model, device.Session.Profile, 768);
        Assert.Contains(measured.Blocks, b => b.IsRowBlock && b.Layer == 0);
        MemoryPlan plan = IlpPlanner.Solve(new PlanningProblem([measured], device.Session.Profile, RequestMix.Uniform(["tiny"]), 4))!;

        byte[] inputs = RandomSparseModel.Inputs(6, 3, model.InputSize);
        using PlannedDeployment deployment = PlannedDeployment.Deploy(device.Session, plan);

        Assert.Equal(Reference(model, inputs), deployment.Infer(measured, inputs, 3).Outputs);
    }

    [Fact]
    public void EveryPlannerKeepsWithinTheDevicesModelSlotsAndThePlanRunsThere()
    {
        // Memory for most of the model's blocks, but only 4 model slots (as on a small build): a plan that counts
        // only bytes keeps far more blocks than the device registers, and its deploy fails at a Commit.
        DeviceProfile roomy = DeviceProfile.EmulatorDefault with { PersistentBytes = 24 * 1024, MaxPayload = 1024 };
        DeviceProfile fewSlots = roomy with { ModelSlots = 4 };
        SparseModel model = RandomSparseModel.Create(41, [300, 200, 90, 17], 0.3, name: "big");
        using ConnectedDevice device = LinkServer.Connect(new Runtime.Devices.Emulator.EmulatorEngine(fewSlots), "emulator");
        Assert.Equal(4, device.Session.Profile.ModelSlots);
        ModelProfile measured = ModelProfile.Measure(model, device.Session.Profile, 768);
        var problem = new PlanningProblem([measured], device.Session.Profile, RequestMix.Uniform(["big"]), 4);
        Assert.Equal(4, problem.Slots);

        MemoryPlan[] plans = [IlpPlanner.Solve(problem)!, WholeScheduleIlpPlanner.Solve(problem)!, StepGreedyPlanner.Solve(problem)!, GreedyPlanner.Solve(problem)!];
        Assert.All(plans, p => Assert.True(p.PeakSlots <= 4, $"{p.Solver} takes {p.PeakSlots} slots"));
        Assert.All(plans, p => Assert.Equal(3, Enumerable.Range(0, problem.Blocks.Count).Count(i => p.KindOf(i) == ResidencyKind.Always)));
        Assert.True(plans[0].Optimal);

        byte[] inputs = RandomSparseModel.Inputs(6, 8, model.InputSize);
        using (PlannedDeployment deployment = PlannedDeployment.Deploy(device.Session, plans[0]))
        {
            Assert.Equal(Reference(model, inputs), deployment.Infer(measured, inputs, 8).Outputs);
        }

        // The same model planned for the bytes alone keeps more blocks than the device has slots.
        MemoryPlan bytesOnly = IlpPlanner.Solve(new PlanningProblem([ModelProfile.Measure(model, roomy, 768)], roomy, RequestMix.Uniform(["big"]), 4))!;
        Assert.True(bytesOnly.PeakSlots > 4);
        Assert.Throws<ArgumentException>(() => new MemoryPlan(problem, [.. Enumerable.Range(0, problem.Steps.Count).Select(t => Enumerable.Range(0, problem.Blocks.Count).Select(i => bytesOnly.StateAt(t, i)).ToArray())], "bytes only", TimeSpan.Zero, false));
    }

    [Fact]
    public void WhenFreeMemoryIsEnoughButInPiecesTheHeldBlocksAreDeployedAgainPackedAndEveryOutputStaysExact()
    {
        // Three models run in turn, A, C, B. A block a of A is kept through C's step and freed at B's; a block c
        // of C, loaded after a, is kept throughout. At B's step a's hole lies before c and the rest after it:
        // B's largest block, streamed, is larger than either piece though not than both, so it fits only once
        // c has been moved down.
        DeviceProfile shape = DeviceProfile.EmulatorDefault with { MaxPayload = 1024 };
        ModelProfile[] models =
        [
            ModelProfile.Measure(RandomSparseModel.Create(61, [96, 40, 10], 0.3, name: "small0"), shape, 384),
            ModelProfile.Measure(RandomSparseModel.Create(62, [88, 36, 10], 0.3, name: "small1"), shape, 384),
            ModelProfile.Measure(RandomSparseModel.Create(63, [160, 64, 10], 0.3, name: "large"), shape, 1024),
        ];
        var sizing = new PlanningProblem(models, shape, RequestMix.Uniform(models.Select(m => m.Name)), 2, horizon: 3);
        int bStep = Enumerable.Range(0, 3).Single(t => sizing.Steps.Models[t] == 2);
        int aModel = sizing.Steps.Models[(bStep + 1) % 3], cModel = sizing.Steps.Models[(bStep + 2) % 3];
        int b = sizing.BlocksOf(2).MaxBy(sizing.Footprint);
        int a = sizing.BlocksOf(aModel).MinBy(sizing.Footprint), c = sizing.BlocksOf(cModel).MinBy(sizing.Footprint);
        int y = sizing.Footprint(a), z = sizing.Footprint(c), largeB = sizing.Footprint(b);
        int otherStreamed = sizing.BlocksOf(aModel).Concat(sizing.BlocksOf(cModel)).Where(i => i != a && i != c).Max(sizing.Footprint);
        Assert.True(largeB > y && otherStreamed <= largeB - 8, "the models' block sizes do not make the case");

        int capacity = y + z + largeB - 8; // the piece after c is 8 bytes short of B's largest block
        DeviceProfile profile = shape with { PersistentBytes = capacity };
        var problem = new PlanningProblem(models, profile, RequestMix.Uniform(models.Select(m => m.Name)), 2, horizon: 3);
        BlockDecision[][] states = [.. Enumerable.Range(0, 3).Select(t => Enumerable.Range(0, problem.Blocks.Count).Select(i =>
            i == c || (i == a && t != bStep) ? BlockDecision.Resident
            : problem.Uses(t, i) ? BlockDecision.Streamed
            : BlockDecision.Evicted).ToArray())];
        var plan = new MemoryPlan(problem, states, "by hand", TimeSpan.Zero, false); // it fits: at B's step c and B's block take z + largeB

        using ConnectedDevice device = LinkServer.Connect(new Runtime.Devices.Emulator.EmulatorEngine(profile), "emulator");
        using PlannedDeployment deployment = PlannedDeployment.Deploy(device.Session, plan);
        for (int request = 0; request < 6; request++)
        {
            ModelProfile model = models[problem.Steps.Models[(bStep + 1 + request) % 3]];
            byte[] inputs = RandomSparseModel.Inputs(request, 2, model.Model.InputSize);
            Assert.Equal(Reference(model.Model, inputs), deployment.Infer(model, inputs, 2).Outputs);
            Assert.True(device.Session.Memory.UsedBytes <= capacity);
        }

        // Once, at B's first step: c then lies at the bottom, so a, loaded again above it, leaves no hole when freed.
        Assert.Equal(1, deployment.Compactions);
        Assert.Equal(problem.Blocks[c].Bytes, deployment.CompactedBytes); // c alone was held, and moved
        Assert.True(deployment.PeakBytes <= capacity);
    }

    // Outputs of each model run alone, whole, on a device large enough for it.
    private static int[] Alone(SparseModel model, byte[] inputs, int count)
    {
        using ConnectedDevice big = LinkServer.Connect(new Runtime.Devices.Emulator.EmulatorEngine(DeviceProfile.EmulatorDefault), "emulator");
        DeployedModel deployed = big.Session.Deploy(ModelCompiler.Compile(model, DeviceProfile.EmulatorDefault));
        return big.Session.Infer(deployed, inputs, count).Outputs;
    }

    // Together more than twice the HX8K's 8 KiB in blocks, compiled for the one PE slice its build reports.
    private static SparseModel[] ThreeModels() =>
    [
        RandomSparseModel.Create(71, [320, 48, 10], 0.3, name: "often"),
        RandomSparseModel.Create(72, [288, 40, 12], 0.3, name: "sometimes"),
        RandomSparseModel.Create(73, [352, 32, 10], 0.3, name: "rarely"),
    ];

    [Fact]
    public void SeveralModelsUnderASkewedMixRunBitExactlyOnTheHx8kEmulatorStepByStep()
    {
        SparseModel[] models = ThreeModels();
        using ConnectedDevice device = HardwareDevices.Registry.Open("emulator:hx8k-breakout");
        DeviceProfile profile = device.Session.Profile;
        ModelProfile[] measured = [.. models.Select(m => ModelProfile.Measure(m, profile, ModelProfile.DefaultBlockBytes(profile)))];
        Assert.True(measured.Sum(m => m.Bytes) > 2 * profile.PersistentBytes, $"{measured.Sum(m => m.Bytes)} bytes in blocks: not 2x the device's {profile.PersistentBytes}");
        var problem = new PlanningProblem(measured, profile, RequestMix.Parse("often=0.7,sometimes=0.2,rarely=0.1", [.. models.Select(m => m.Name)]), 4);
        MemoryPlan plan = IlpPlanner.Solve(problem)!;
        using PlannedDeployment deployment = PlannedDeployment.Deploy(device.Session, plan);

        // The plan's own steps twice, then requests in an order it was not solved for.
        int[] requests = [.. problem.Steps.Models, .. problem.Steps.Models, 2, 2, 1, 0, 2, 0, 0, 1];
        var outputs = new Dictionary<int, List<int>>();
        var sent = new Dictionary<int, List<byte>>();
        for (int q = 0; q < requests.Length; q++)
        {
            int m = requests[q];
            int count = 1 + (q % problem.Batch) + (q % 3 == 0 ? problem.Batch : 0); // one batch or two, some of them partial
            byte[] inputs = RandomSparseModel.Inputs(100 + q, count, models[m].InputSize);
            outputs.TryAdd(m, []);
            sent.TryAdd(m, []);
            outputs[m].AddRange(deployment.Infer(measured[m], inputs, count).Outputs);
            sent[m].AddRange(inputs);
            Assert.True(device.Session.Memory.UsedBytes <= problem.Capacity);
        }

        foreach ((int m, List<byte> inputs) in sent)
        {
            Assert.Equal(Alone(models[m], [.. inputs], inputs.Count / models[m].InputSize), outputs[m]);
        }

        Assert.True(deployment.PeakBytes <= plan.PeakBytes, $"peak {deployment.PeakBytes} against the plan's {plan.PeakBytes}");
        Assert.True(deployment.LoadedBlocks > 0);
    }

    [Fact]
    public void AddingAndRemovingModelsSolvesAgainKeepsResultsBitExactAndNeverExceedsCapacity()
    {
        SparseModel[] models = ThreeModels();
        using ConnectedDevice device = HardwareDevices.Registry.Open("emulator:hx8k-breakout");
        int capacity = device.Session.Profile.PersistentBytes;
        using var session = new PlannedSession(device.Session, batch: 3);
        var sent = models.ToDictionary(m => m.Name, _ => new List<byte>());
        var outputs = models.ToDictionary(m => m.Name, _ => new List<int>());
        int q = 0;
        void Run(params int[] which)
        {
            foreach (int m in which)
            {
                byte[] inputs = RandomSparseModel.Inputs(200 + q++, 4, models[m].InputSize);
                outputs[models[m].Name].AddRange(session.Infer(models[m].Name, inputs, 4).Outputs);
                sent[models[m].Name].AddRange(inputs);
                Assert.True(device.Session.Memory.UsedBytes <= capacity);
            }
        }

        session.Add(models[0], 5);
        session.Add(models[1], 2);
        Run(0, 0, 1, 0, 1);

        // Adding a model sends nothing: the blocks the new plan keeps stay where they are, the rest are unloaded.
        DeployedModel[] before = [.. device.Session.Models];
        long linkBefore = device.Session.Link.BytesSent;
        session.Add(models[2], 1);
        Assert.Subset(before.ToHashSet(), device.Session.Models.ToHashSet());
        Assert.Equal(before.Length - device.Session.Models.Count, session.UnloadedByReplans);
        Assert.True(device.Session.Link.BytesSent - linkBefore < 64 * (session.UnloadedByReplans + 1), "only Unload frames, no deploys");
        Run(2, 0, 1, 2, 0);

        Assert.True(session.Remove(models[1].Name));
        Assert.DoesNotContain(device.Session.Models, h => h.Name == models[1].Name);
        Run(0, 2, 2, 0);
        Assert.False(session.Remove("nosuch"));
        Assert.Equal(4, session.Solves); // three adds, one remove

        foreach (SparseModel model in models)
        {
            List<byte> inputs = sent[model.Name];
            Assert.Equal(Alone(model, [.. inputs], inputs.Count / model.InputSize), outputs[model.Name]);
        }

        Assert.True(session.PeakBytes <= capacity, $"peak {session.PeakBytes} of {capacity}");
        Assert.Throws<ArgumentException>(() => session.Add(models[0]));
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
