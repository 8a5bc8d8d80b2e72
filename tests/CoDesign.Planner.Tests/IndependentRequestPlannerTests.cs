using CoDesign.Planner.Decision;
using CoDesign.Planner.Execution;
using CoDesign.Planner.Profile;
using CoDesign.Runtime;
using CoDesign.TestSupport;

namespace CoDesign.Planner.Tests;

/// <summary>The choice of the plan carried out for requests that arrive independently by the mix.</summary>
public class IndependentRequestPlannerTests
{
    private static readonly DeviceProfile Device = DeviceProfile.EmulatorDefault with { MaxPayload = 1024 };

    private static ModelProfile[] Models(int count, int seed) =>
        [.. Enumerable.Range(0, count).Select(i => ModelProfile.Measure(RandomSparseModel.Create(seed + i, [96 + (16 * i), 48, 10], 0.3, name: $"m{i}"), Device, 512))];

    [Theory]
    [InlineData(3, 110, "m0=0.34,m1=0.33,m2=0.33")]
    [InlineData(4, 130, "m0=0.55,m1=0.25,m2=0.15,m3=0.05")]
    public void TheCarriedOutPlanIsTheIlpPlanThatSendsLessOverIndependentTraces(int count, int seed, string mix)
    {
        ModelProfile[] models = Models(count, seed);
        string[] names = [.. models.Select(m => m.Name)];
        int capacity = (int)(models.Max(m => m.Bytes) * 10 / 6);
        var problem = new PlanningProblem(models, Device, RequestMix.Parse(mix, names), 4, capacity: capacity, horizon: 12, seed: 5);

        PlanChoice choice = IndependentRequestPlanner.Solve(problem, TimeSpan.FromSeconds(5))!;

        Assert.NotNull(choice.Other);
        Assert.Equal(
            new[] { IlpPlanner.Name, WholeScheduleIlpPlanner.Name }.Order(),
            new[] { choice.Plan.Solver, choice.Other.Solver }.Order());
        int[][] traces = [.. Enumerable.Range(1001, IndependentRequestPlanner.Traces).Select(s => LruBaseline.Trace(problem, IndependentRequestPlanner.RequestsPerTrace, s))];
        double images = traces.Sum(t => t.Length) * (double)problem.Batch;
        double Replayed(MemoryPlan plan) => traces.Sum(t => StepWalker.Replay(plan, t).WeightBytes) / images;
        Assert.Equal(Replayed(choice.Plan), choice.ReplayedBytesPerInput, 6);
        Assert.Equal(Replayed(choice.Other), choice.OtherReplayedBytesPerInput!.Value, 6);
        Assert.True(choice.ReplayedBytesPerInput <= choice.OtherReplayedBytesPerInput,
            $"carried out {choice.Plan.Solver}: {choice.ReplayedBytesPerInput:0.0} bytes per input replayed, {choice.Other.Solver}: {choice.OtherReplayedBytesPerInput:0.0}");

        // On independent requests the choice never sends more than LRU eviction on the same traces.
        double lru = traces.Sum(t => LruBaseline.WeightBytes(problem, t)) / images;
        Assert.True(choice.ReplayedBytesPerInput < lru, $"carried out {choice.ReplayedBytesPerInput:0.0}, LRU {lru:0.0}");
    }

    [Fact]
    public void OneModelHasOneStepAndOnlyThePerStepPlan()
    {
        ModelProfile[] models = Models(1, 140);
        var problem = new PlanningProblem(models, Device, RequestMix.Uniform(["m0"]), 4, capacity: (int)models[0].Bytes / 2);

        PlanChoice choice = IndependentRequestPlanner.Solve(problem)!;

        Assert.Equal(IlpPlanner.Name, choice.Plan.Solver);
        Assert.Null(choice.Other);
        Assert.Null(choice.OtherReplayedBytesPerInput);
    }

    [Fact]
    public void NoPlanWhenABlockDoesNotFitTheDevice()
    {
        ModelProfile[] models = Models(2, 150);
        var problem = new PlanningProblem(models, Device, RequestMix.Uniform(["m0", "m1"]), 4, capacity: 100);

        Assert.Null(IndependentRequestPlanner.Solve(problem));
    }
}
