using CoDesign.Planner.Decision;
using CoDesign.Planner.Execution;
using CoDesign.Planner.Profile;
using CoDesign.Runtime;
using CoDesign.TestSupport;

namespace CoDesign.Planner.Tests;

/// <summary>The decision module: the ILP's optimum against exhaustive search, the greedy baseline and LRU.</summary>
public class PlannerDecisionTests
{
    private static readonly DeviceProfile Device = DeviceProfile.EmulatorDefault with { MaxPayload = 1024 };

    private static ModelProfile[] Models(int count, int seed, int blockBytes = 512) =>
        [.. Enumerable.Range(0, count).Select(i => ModelProfile.Measure(RandomSparseModel.Create(seed + i, [96 + (16 * i), 48, 10], 0.3, name: $"m{i}"), Device, blockBytes))];

    [Fact]
    public void ThePerStepIlpFindsTheExhaustiveOptimumOverEveryResidencyPerBlockAndStep()
    {
        // Two models of two blocks each over four steps: 2^16 residency matrices, every one tried.
        DeviceProfile device = Device with { MaxPayload = 1024 };
        ModelProfile[] models = [.. Enumerable.Range(0, 2).Select(i => ModelProfile.Measure(RandomSparseModel.Create(60 + i, [40 + (8 * i), 10], 0.5, name: $"m{i}"), device, 1024))];
        Assert.All(models, m => Assert.Equal(2, m.Blocks.Count));
        var problem = new PlanningProblem(models, device, RequestMix.Parse("m0=0.6", ["m0", "m1"]), 4, capacity: models.Sum(m => (int)m.Bytes) - 200, horizon: 4, seed: 3);
        int n = problem.Blocks.Count, steps = problem.Steps.Count;
        Assert.Equal(4, steps);

        MemoryPlan plan = IlpPlanner.Solve(problem)!;

        double best = double.MaxValue;
        for (long bits = 0; bits < 1L << (n * steps); bits++)
        {
            BlockDecision[][] states = [.. Enumerable.Range(0, steps).Select(t => Enumerable.Range(0, n).Select(i =>
                (bits >> ((t * n) + i) & 1) != 0 ? BlockDecision.Resident : problem.Uses(t, i) ? BlockDecision.Streamed : BlockDecision.Evicted).ToArray())];
            bool loadsOnlyAtUse = Enumerable.Range(0, steps).All(t => Enumerable.Range(0, n).All(i =>
                problem.Uses(t, i) || states[t][i] != BlockDecision.Resident || states[problem.Steps.Previous(t)][i] == BlockDecision.Resident));
            if (loadsOnlyAtUse && problem.PeakBytes(states) <= problem.Capacity)
            {
                best = Math.Min(best, problem.WeightBytesPerInput(states));
            }
        }

        Assert.True(plan.Optimal);
        Assert.True(plan.PeakBytes <= problem.Capacity);
        Assert.Equal(best, plan.WeightBytesPerInput, 6);
        Assert.True(WholeScheduleIlpPlanner.Solve(problem)!.WeightBytesPerInput >= plan.WeightBytesPerInput - 1e-9);
    }

    [Fact]
    public void TheWholeScheduleIlpFindsTheExhaustiveOptimumAmongOneDecisionPerBlock()
    {
        ModelProfile[] models = Models(2, 70, 1024);
        var mix = RequestMix.Parse("m0=0.7", ["m0", "m1"]);
        var problem = new PlanningProblem(models, Device, mix, 4, capacity: 3000);
        Assert.InRange(problem.Blocks.Count, 4, 16);

        MemoryPlan plan = WholeScheduleIlpPlanner.Solve(problem)!;

        double best = double.MaxValue;
        for (int subset = 0; subset < 1 << problem.Blocks.Count; subset++)
        {
            BlockDecision[][] states = problem.EveryStep([.. Enumerable.Range(0, problem.Blocks.Count).Select(i => (subset >> i & 1) != 0 ? BlockDecision.Resident : BlockDecision.Streamed)]);
            if (problem.PeakBytes(states) <= problem.Capacity)
            {
                best = Math.Min(best, problem.WeightBytesPerInput(states));
            }
        }

        Assert.True(plan.Optimal);
        Assert.Equal(best, plan.WeightBytesPerInput, 6);
        Assert.True(GreedyPlanner.Solve(problem)!.WeightBytesPerInput >= plan.WeightBytesPerInput - 1e-9);
        MemoryPlan perStep = IlpPlanner.Solve(problem)!;
        Assert.True(perStep.WeightBytesPerInput <= plan.WeightBytesPerInput + 1e-9, $"per step {perStep.WeightBytesPerInput} optimal {perStep.Optimal} bound {perStep.LowerBound} in {perStep.SolveTime}, whole schedule {plan.WeightBytesPerInput}, steps {problem.Steps.Count}");
    }

    [Fact]
    public void PerStepResidencyBeatsOneDecisionPerBlockWhenModelsComeInRuns()
    {
        // Three models of about 60 % of the device each: one decision per block keeps at most one of them,
        // while per step each can be kept through its own run of requests and dropped for the others'.
        ModelProfile[] models = Models(3, 110, 512);
        int capacity = (int)(models.Max(m => m.Bytes) * 10 / 6);
        var problem = new PlanningProblem(models, Device, RequestMix.Uniform(["m0", "m1", "m2"]), 4, capacity: capacity, horizon: 12, seed: 5);

        MemoryPlan perStep = IlpPlanner.Solve(problem, TimeSpan.FromSeconds(10))!;
        MemoryPlan whole = WholeScheduleIlpPlanner.Solve(problem)!;

        Assert.True(perStep.WeightBytesPerInput < 0.95 * whole.WeightBytesPerInput, $"per step {perStep.WeightBytesPerInput:0.0}, whole schedule {whole.WeightBytesPerInput:0.0}");
        Assert.Contains(Enumerable.Range(0, problem.Blocks.Count), i => perStep.KindOf(i) == ResidencyKind.SomeSteps);
        Assert.True(perStep.WeightBytesPerInput < LruBaseline.WeightBytesPerInput(problem));
    }

    [Fact]
    public void ThePlanCarriedOutOnItsOwnStepsSendsWhatItsCountSaysAndStaysWithinCapacity()
    {
        ModelProfile[] models = Models(3, 120, 512);
        var problem = new PlanningProblem(models, Device, RequestMix.Parse("m0=0.6,m1=0.3", ["m0", "m1", "m2"]), 4, capacity: (int)models.Sum(m => m.Bytes) / 2);
        MemoryPlan plan = IlpPlanner.Solve(problem)!;
        int[] oneRound = [.. problem.Steps.Models];

        (long first, int peakFirst) = StepWalker.Replay(plan, oneRound);
        (long three, int peak) = StepWalker.Replay(plan, [.. oneRound, .. oneRound, .. oneRound]);

        // Rounds after the first send exactly what the plan's count says of each step.
        Assert.Equal(2 * problem.WeightBytesPerStep(Enumerable.Range(0, problem.Steps.Count).Select(t => Enumerable.Range(0, problem.Blocks.Count).Select(i => plan.StateAt(t, i)).ToArray()).ToArray()).Sum(), three - first);
        Assert.True(peak <= plan.PeakBytes && peakFirst <= plan.PeakBytes);
    }

    [Fact]
    public void ModelsOutsideTheMixAreEvictedAndEverythingFitsWhenItCan()
    {
        ModelProfile[] models = Models(3, 80);
        var mix = RequestMix.Parse("m0=0.6,m1=0.4", ["m0", "m1", "m2"]);
        MemoryPlan plan = IlpPlanner.Solve(new PlanningProblem(models, Device, mix, 4))!;

        Assert.All(plan.BlocksOf(2), b => Assert.Equal(ResidencyKind.Never, plan.KindOf(b.Index)));
        Assert.All(plan.BlocksOf(0).Concat(plan.BlocksOf(1)), b => Assert.Equal(ResidencyKind.Always, plan.KindOf(b.Index)));
        Assert.Equal(0, plan.WeightBytesPerInput);
    }

    [Fact]
    public void NoPlanExistsWhenABlockIsLargerThanTheDevice()
    {
        ModelProfile[] models = Models(1, 90);
        var problem = new PlanningProblem(models, Device, RequestMix.Uniform(["m0"]), 4, capacity: 64);
        Assert.Null(IlpPlanner.Solve(problem));
        Assert.Null(WholeScheduleIlpPlanner.Solve(problem));
        Assert.Null(GreedyPlanner.Solve(problem));
    }

    [Fact]
    public void LruCountsEveryLoadAndAWholeSchedulePlanOnTheSameTraceMatchesItsAverage()
    {
        ModelProfile[] models = Models(3, 100);
        var mix = RequestMix.Parse("m0=0.8,m1=0.1,m2=0.1", ["m0", "m1", "m2"]);
        var problem = new PlanningProblem(models, Device, mix, 4, capacity: 4096);
        MemoryPlan plan = WholeScheduleIlpPlanner.Solve(problem)!;
        int[] trace = LruBaseline.Trace(problem, 4000, 1);

        // Far more loads than there are bytes: LRU thrashes on blocks of models that do not fit together.
        Assert.True(LruBaseline.WeightBytes(problem, trace) > models.Sum(m => m.Bytes));
        int alwaysResident = Enumerable.Range(0, problem.Blocks.Count).Where(i => plan.KindOf(i) == ResidencyKind.Always).Sum(i => problem.Blocks[i].Bytes);
        double perInput = (double)(StepWalker.Replay(plan, trace).WeightBytes - alwaysResident) / (trace.Length * problem.Batch);
        Assert.Equal(plan.WeightBytesPerInput, perInput, plan.WeightBytesPerInput * 0.1);
    }

    [Fact]
    public void TheStepSequenceFollowsTheMixAndItsWeightsAreTheShares()
    {
        var mix = RequestMix.Parse("a=0.5,b=0.3,c=0.15,d=0.05,e=0", ["a", "b", "c", "d", "e"]);
        StepSequence steps = StepSequence.Derive(["a", "b", "c", "d", "e"], mix, 20, seed: 2);

        Assert.Equal(20, steps.Count);
        Assert.Equal([10, 6, 3, 1, 0], Enumerable.Range(0, 5).Select(m => steps.StepsOf(m).Count));
        for (int m = 0; m < 4; m++)
        {
            Assert.Equal(mix.ShareOf("abcd"[m].ToString()), steps.StepsOf(m).Sum(t => steps.Weights[t]), 9);
        }

        Assert.Equal(1, StepSequence.Derive(["a", "b"], RequestMix.Parse("a=1", ["a", "b"])).Count);
    }

    [Theory]
    [InlineData("a=0.5,b=0.7", "more than 1")]
    [InlineData("a=x", "not a number")]
    [InlineData("z=0.5", "not among")]
    [InlineData("a=0.2,a=0.3", "twice")]
    [InlineData("a", "NAME=SHARE")]
    public void ABadMixIsRefusedNamingWhatIsWrong(string text, string expected)
    {
        FormatException e = Assert.Throws<FormatException>(() => RequestMix.Parse(text, ["a", "b"]));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void UnnamedModelsShareWhatIsLeft()
    {
        var mix = RequestMix.Parse("a=0.5", ["a", "b", "c"]);
        Assert.Equal(0.25, mix.ShareOf("c"), 9);
    }
}
