using System.Globalization;
using CoDesign.Model;
using CoDesign.Model.Datasets;
using CoDesign.Planner.Decision;
using CoDesign.Planner.Execution;
using CoDesign.Planner.Profile;
using CoDesign.Runtime;
using CoDesign.Runtime.Compile;
using CoDesign.Runtime.Deploy;
using CoDesign.Runtime.Devices;
using CoDesign.Runtime.Link;
using CoDesign.TestSupport;
using Xunit.Abstractions;

namespace CoDesign.Hardware.Tests.Device;

/// <summary>
/// Issue 12's goal on the exact board tops (<c>verilator:hx8k-breakout</c> and <c>verilator:icebreaker</c>,
/// whose sequential engines run column blocks): models larger than their weight memory (8 KiB, 128 KiB)
/// run by a memory plan, block after block, with partial sums held in the accumulators and hidden
/// activations chained in the activation buffer, bit-exactly as <c>emulator:&lt;board&gt;</c> runs the
/// same plan, with the same work counters and exactly the cycles of its cost model
/// (SequentialEngineCostModel.BlockCycles). The plain <c>verilator</c> top runs the same on its PE array,
/// its cycles within 5 % of PeArrayCostModel.BlockCycles.
/// </summary>
public class BoardPlanTests(ITestOutputHelper output)
{
    [Fact]
    public void TheShippedModelRunsOnTheHx8kTopByItsPlanLikeItsEmulator()
    {
        SparseModel model = ModelFile.Read(BoardModels.ShippedModelPath);
        LabeledImages test = FashionMnist.LoadTest().Take(30);

        RunsLikeTheEmulator(Board.Hx8kBreakout, model, test.Pixels, test.Count, batch: 16, times: 4);
    }

    [Fact]
    public void AModelLargerThanThePlainTopRunsOnItsPeArrayInBatchesLikeTheEmulator()
    {
        // The plain top's PE array: each input's sums in every PE's rows k * L on (rows of 60 and 24
        // leave PEs with fewer rows than the first), chained activations copied into the scanned half.
        SparseModel model = RandomSparseModel.Create(31, [1024, 190, 62, 10], 0.8, name: "big-array");
        byte[] inputs = RandomSparseModel.Inputs(5, 5, model.InputSize);

        int batch = RunsOnThePlainTopLikeTheEmulator(model, inputs, 5, batch: 8, times: 1);

        Assert.True(batch > 1, $"batch {batch}: the test means to run several inputs per Run");
    }

    [Theory]
    [InlineData("hx8k-breakout", 700, 56, 24, 9, 4)]   // four times its 8 KiB
    [InlineData("icebreaker", 1024, 192, 64, 3, 1)]    // past its 128 KiB (157 k weights); its second layer in blocks from FirstCol > 0
    public void AModelLargerThanTheBoardRunsInBatchesOnItsTopLikeItsEmulator(string boardName, int inputSize, int hidden, int second, int count, int times)
    {
        // Narrow hidden layers, so several inputs' sums and chained activations share the scratch
        // (batches of more than one: the interleaved activations and per-input sums are exercised).
        SparseModel model = RandomSparseModel.Create(29, [inputSize, hidden, second, 10], 0.8, name: "big-narrow");
        byte[] inputs = RandomSparseModel.Inputs(4, count, model.InputSize);

        int batch = RunsLikeTheEmulator(Board.Find(boardName), model, inputs, count, batch: 8, times);

        Assert.True(batch > 1, $"batch {batch}: the test means to run several inputs per Run");
    }

    [Theory]
    [InlineData("hx8k-breakout", 1)]
    [InlineData("icebreaker", 0)]   // it fits the 128 KiB in blocks: the row blocks are the point
    public void ALayerWhoseSumsPassTheAccumulatorsRunsInRowBlocksOnTheTopLikeItsEmulator(string boardName, int times)
    {
        // 640 rows: one input's sums and activations (3,200 bytes) pass the boards' 2 KiB of scratch, so
        // the planner cuts the layer into row blocks; their outputs go to the host and come back as the
        // next layer's input. The last layer of 40 rows chains into nothing: it emits.
        SparseModel model = RandomSparseModel.Create(41, [96, 640, 40, 10], 0.85, name: "wide");
        byte[] inputs = RandomSparseModel.Inputs(9, 3, model.InputSize);
        Board board = Board.Find(boardName);

        int batch = RunsLikeTheEmulator(board, model, inputs, 3, batch: 4, times, rowBlocks: true);

        Assert.Equal(1, batch);
    }

    [Fact]
    public void ALayerWhoseSumsPassThePlainTopsScratchRunsInRowBlocksOnItsPeArrayLikeTheEmulator()
    {
        // 1,024 rows pass the plain top's 2 KiB of scratch; its PE array runs the row blocks' column blocks.
        SparseModel model = RandomSparseModel.Create(47, [64, 1024, 40, 10], 0.9, name: "wide-array");
        byte[] inputs = RandomSparseModel.Inputs(10, 2, model.InputSize);

        RunsOnThePlainTopLikeTheEmulator(model, inputs, 2, batch: 4, times: 0, rowBlocks: true);
    }

    [Fact]
    public void EightModelsShareTheIceBreakerTopUnderASkewedMixByOnePlanLikeItsEmulator()
    {
        // The planner benchmark's eight models (about 47 KB each, 380 KB together) under a Zipf mix, on the
        // exact iCEBreaker top: its model table registers the plan's resident blocks of every model at once
        // (it held two before it moved into block RAM), and the requests stream in the rest.
        Board board = Board.IceBreaker;
        using ConnectedDevice rtl = HardwareDevices.Registry.Open($"verilator:{board.Name}");
        using ConnectedDevice emulator = HardwareDevices.Registry.Open($"emulator:{board.Name}");
        DeviceProfile profile = rtl.Session.Profile;
        Assert.Equal(board.ModelSlots, profile.ModelSlots);
        ModelProfile[] models = PlannerWorkload.EightModels(profile, ModelProfile.DefaultBlockBytes(profile));
        var problem = new PlanningProblem(models, profile, PlannerWorkload.Zipf(models), 16);
        MemoryPlan plan = IndependentRequestPlanner.Solve(problem)!.Plan;
        int resident = Enumerable.Range(0, problem.Blocks.Count).Count(i => plan.KindOf(i) == ResidencyKind.Always);
        Assert.True(resident > 16, $"{resident} blocks resident: the test means the table to hold many");
        int[] requests = LruBaseline.Trace(problem, 10, 5);

        // Raw payloads: the codec's choice weighs each encode's measured time, so two sessions on a loaded
        // host can decide a request that saves a few bytes differently; raw, both carry the plan's bytes.
        rtl.Session.Compression.Enabled = false;
        emulator.Session.Compression.Enabled = false;
        // Neither link loses a frame: a resend would only be a loaded host's, and its bytes not the plan's.
        rtl.Session.ResendOnlyAfterTheFullTimeout();
        emulator.Session.ResendOnlyAfterTheFullTimeout();

        long rtlBytes = 0, emulatorBytes = 0;
        using PlannedDeployment onRtl = PlannedDeployment.Deploy(rtl.Session, plan);
        using PlannedDeployment onEmulator = PlannedDeployment.Deploy(emulator.Session, plan);
        for (int q = 0; q < requests.Length; q++)
        {
            ModelProfile model = models[requests[q]];
            byte[] inputs = RandomSparseModel.Inputs(60 + q, problem.Batch, model.Model.InputSize);
            InferenceResult fromRtl = onRtl.Infer(model, inputs, problem.Batch);
            InferenceResult fromEmulator = onEmulator.Infer(model, inputs, problem.Batch);
            var reference = new DenseIntegerReference(model.Model);
            Assert.Equal([.. Enumerable.Range(0, problem.Batch).SelectMany(i => reference.Forward(inputs.AsSpan(i * model.Model.InputSize, model.Model.InputSize)))], fromRtl.Outputs);
            Assert.Equal(fromEmulator.Outputs, fromRtl.Outputs);
            Assert.Equal(fromEmulator.Cycles, fromRtl.Cycles);
            rtlBytes += fromRtl.LinkBytes;
            emulatorBytes += fromEmulator.LinkBytes;
        }

        Assert.Equal((0L, 0L), (rtl.Session.Link.Retransmissions, emulator.Session.Link.Retransmissions));
        Assert.Equal(emulatorBytes, rtlBytes);
        Assert.Equal(onEmulator.StreamedBlocks, onRtl.StreamedBlocks);
        Assert.True(onRtl.HeldBlocks > 16, $"{onRtl.HeldBlocks} blocks held");
        // The device registers exactly the blocks the host holds there: the streamed ones were unloaded.
        Assert.Equal(onRtl.HeldBlocks, rtl.Session.RequestStatus().Models);
        Assert.Equal(onRtl.HeldBlocks, emulator.Session.RequestStatus().Models);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{models.Sum(m => m.Bytes):N0} bytes in {problem.Blocks.Count} blocks, {resident} resident; {requests.Length} requests of batch {problem.Batch}: " +
            $"{onRtl.HeldBlocks} registered at the end, {onRtl.StreamedBlocks} streamed, {rtlBytes / (double)(requests.Length * problem.Batch):N0} link bytes per input"));
    }

    [Fact]
    public void ABatchWhoseSumsPassTheAccumulatorsFaultsInsteadOfOverwritingThem()
    {
        // The shipped model's first layer has 256 rows: the HX8K's 512 accumulators hold two inputs'
        // sums, not three (its Hello's 2 KiB of scratch says so; this Run ignores it).
        SparseModel model = ModelFile.Read(BoardModels.ShippedModelPath);
        using ConnectedDevice rtl = HardwareDevices.Registry.Open($"verilator:{Board.Hx8kBreakout.Name}");
        DeployedModel block = rtl.Session.Deploy(ModelCompiler.CompileBlock(model, 0, 0, 16, BlockFlags.Hold, rtl.Session.Profile));
        byte[] inputs = RandomSparseModel.Inputs(6, 3, 16);

        rtl.Session.InferOnce(block, inputs.AsSpan(0, 32), 2);
        DeviceErrorException refused = Assert.Throws<DeviceErrorException>(() => rtl.Session.InferOnce(block, inputs, 3));

        Assert.Equal(DeviceErrorCode.ExecutionFault, refused.Code);
        Assert.Equal(0, rtl.Session.InferOnce(block, inputs.AsSpan(0, 16), 1).OutputSize);   // and it runs on
    }

    [Fact]
    public void SumsAnAbandonedPlanLeftOnThePeArrayAreSweptBeforeAWholeModelRuns()
    {
        // A Hold block leaves its sums in the PEs' accumulators, which a drain would clear; when no
        // later block drains them, the next whole model must not start from them.
        SparseModel model = RandomSparseModel.Create(37, [48, 20, 10], 0.7, name: "abandoned");
        byte[] inputs = RandomSparseModel.Inputs(8, 2, model.InputSize);
        using ConnectedDevice rtl = HardwareDevices.Registry.Open("verilator");
        DeployedModel block = rtl.Session.Deploy(ModelCompiler.CompileBlock(model, 0, 0, 48, BlockFlags.Hold, rtl.Session.Profile));
        DeployedModel whole = rtl.Session.Deploy(ModelCompiler.Compile(model, rtl.Session.Profile));

        rtl.Session.InferOnce(block, inputs, 2);
        InferenceResult result = rtl.Session.InferOnce(whole, inputs, 2);

        var reference = new DenseIntegerReference(model);
        Assert.Equal([.. reference.Forward(inputs.AsSpan(0, 48)), .. reference.Forward(inputs.AsSpan(48, 48))], result.Outputs);
    }

    // Plans the model for the board's top, runs it there and on the emulator shaped like it; returns the batch.
    // The model must take more than `times` times the board's weight memory in blocks.
    private int RunsLikeTheEmulator(Board board, SparseModel model, byte[] inputs, int count, int batch, int times, bool rowBlocks = false)
    {
        using ConnectedDevice rtl = HardwareDevices.Registry.Open($"verilator:{board.Name}");
        using ConnectedDevice emulator = HardwareDevices.Registry.Open($"emulator:{board.Name}");
        return RunsLikeTheEmulator(rtl, emulator, board.ScratchBytes, board.ModelSlots, model, inputs, count, batch, times, cycleTolerance: 0, rowBlocks);
    }

    // The plain top (2 KiB of scratch, 4 model slots) against the emulator shaped like it; its PE array's
    // cycles within 5 % of its cost model (that of the compiled PEs the device's build carries).
    private int RunsOnThePlainTopLikeTheEmulator(SparseModel model, byte[] inputs, int count, int batch, int times, bool rowBlocks = false)
    {
        using ConnectedDevice rtl = HardwareDevices.Registry.Open("verilator");
        using ConnectedDevice emulator = SameWork.Emulator(RtlBuild.Default, VerilatorSimulation.Profile);
        return RunsLikeTheEmulator(rtl, emulator, 2048, 4, model, inputs, count, batch, times, cycleTolerance: 0.05, rowBlocks);
    }

    // The sequential engines' cycles are their cost model's exactly; the PE array's within the tolerance
    // its whole models are held to (its PEs' FIFOs and column boundaries are not modelled cycle by cycle).
    private int RunsLikeTheEmulator(ConnectedDevice rtl, ConnectedDevice emulator, int scratchBytes, int modelSlots, SparseModel model, byte[] inputs, int count, int batch, int times, double cycleTolerance, bool rowBlocks = false)
    {
        DeviceProfile profile = rtl.Session.Profile;
        Assert.Equal(EngineFeatures.ColumnBlocks, profile.Features);
        Assert.Equal(emulator.Session.Profile with { Cycles = CycleSource.Hardware }, profile);
        ModelProfile measured = ModelProfile.Measure(model, profile, Math.Clamp(profile.PersistentBytes / 8, 512, 4096));
        Assert.Equal(scratchBytes, profile.ScratchBytes);
        Assert.Equal(modelSlots, profile.ModelSlots);
        Assert.True(measured.Bytes > (long)times * profile.PersistentBytes, $"{measured.Bytes} bytes in blocks: not {times}x the device's {profile.PersistentBytes}");
        Assert.Contains(measured.Blocks, b => b.Layer > 0 && b.FirstCol > 0);   // a chained block reads from FirstCol * batch + k
        Assert.Equal(rowBlocks, measured.Blocks.Any(b => b.IsRowBlock));
        var problem = new PlanningProblem([measured], profile, RequestMix.Uniform([model.Name]), batch);
        MemoryPlan plan = IlpPlanner.Solve(problem)!;

        InferenceResult fromRtl, fromEmulator;
        using (PlannedDeployment onRtl = PlannedDeployment.Deploy(rtl.Session, plan))
        {
            fromRtl = onRtl.Infer(measured, inputs, count);
        }

        using (PlannedDeployment onEmulator = PlannedDeployment.Deploy(emulator.Session, plan))
        {
            fromEmulator = onEmulator.Infer(measured, inputs, count);
        }

        var reference = new DenseIntegerReference(model);
        int[] expected = [.. Enumerable.Range(0, count).SelectMany(i => reference.Forward(inputs.AsSpan(i * model.InputSize, model.InputSize)))];
        Assert.Equal(expected, fromEmulator.Outputs);
        Assert.Equal(fromEmulator.Outputs, fromRtl.Outputs);
        Assert.Equal(fromEmulator.Entries, fromRtl.Entries);
        Assert.Equal(fromEmulator.ShiftAddSteps, fromRtl.ShiftAddSteps);
        Assert.Equal(fromEmulator.Broadcasts, fromRtl.Broadcasts);
        if (cycleTolerance == 0)
        {
            Assert.Equal(fromEmulator.Cycles, fromRtl.Cycles);
        }
        else
        {
            Assert.InRange(fromRtl.Cycles / (double)fromEmulator.Cycles, 1 - cycleTolerance, 1 + cycleTolerance);
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{model.Name}: {measured.Bytes:N0} bytes in {measured.Blocks.Count} blocks on {profile.PersistentBytes:N0}, batch {problem.Batch}, " +
            $"{Enumerable.Range(0, problem.Blocks.Count).Count(i => plan.KindOf(i) == ResidencyKind.Always)} resident; {count} inputs bit-exact, {fromRtl.Cycles / (double)count:F0} cycles each (cost model {fromEmulator.Cycles / (double)count:F0})"));
        return problem.Batch;
    }
}
