using CoDesign.Planner.Decision;
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
    public void TheIlpFindsTheExhaustiveOptimum()
    {
        ModelProfile[] models = Models(2, 70, 1024);
        var mix = RequestMix.Parse("m0=0.7", ["m0", "m1"]);
        var problem = new PlanningProblem(models, Device, mix, 4, capacity: 3000);
        Assert.InRange(problem.Blocks.Count, 4, 16);

        MemoryPlan plan = IlpPlanner.Solve(problem)!;

        double best = double.MaxValue;
        for (int subset = 0; subset < 1 << problem.Blocks.Count; subset++)
        {
            BlockDecision[] decisions = [.. Enumerable.Range(0, problem.Blocks.Count).Select(i => (subset >> i & 1) != 0 ? BlockDecision.Resident : BlockDecision.Streamed)];
            if (problem.PeakBytes(decisions) <= problem.Capacity)
            {
                best = Math.Min(best, problem.StreamedBytesPerInput(decisions));
            }
        }

        Assert.True(plan.Optimal);
        Assert.True(plan.PeakBytes <= problem.Capacity);
        Assert.Equal(best, plan.StreamedBytesPerInput, 6);
        Assert.True(GreedyPlanner.Solve(problem)!.StreamedBytesPerInput >= plan.StreamedBytesPerInput - 1e-9);
    }

    [Fact]
    public void ModelsOutsideTheMixAreEvictedAndEverythingFitsWhenItCan()
    {
        ModelProfile[] models = Models(3, 80);
        var mix = RequestMix.Parse("m0=0.6,m1=0.4", ["m0", "m1", "m2"]);
        MemoryPlan plan = IlpPlanner.Solve(new PlanningProblem(models, Device, mix, 4))!;

        Assert.All(plan.BlocksOf(models[2]), b => Assert.Equal(BlockDecision.Evicted, b.Decision));
        Assert.All(plan.BlocksOf(models[0]).Concat(plan.BlocksOf(models[1])), b => Assert.Equal(BlockDecision.Resident, b.Decision));
        Assert.Equal(0, plan.StreamedBytesPerInput);
    }

    [Fact]
    public void NoPlanExistsWhenABlockIsLargerThanTheDevice()
    {
        ModelProfile[] models = Models(1, 90);
        var problem = new PlanningProblem(models, Device, RequestMix.Uniform(["m0"]), 4, capacity: 64);
        Assert.Null(IlpPlanner.Solve(problem));
        Assert.Null(GreedyPlanner.Solve(problem));
    }

    [Fact]
    public void LruCountsEveryLoadAndThePlanOnTheSameTraceMatchesItsAverage()
    {
        ModelProfile[] models = Models(3, 100);
        var mix = RequestMix.Parse("m0=0.8,m1=0.1,m2=0.1", ["m0", "m1", "m2"]);
        var problem = new PlanningProblem(models, Device, mix, 4, capacity: 4096);
        MemoryPlan plan = IlpPlanner.Solve(problem)!;
        int[] trace = LruBaseline.Trace(problem, 4000, 1);

        // Far more loads than there are bytes: LRU thrashes on blocks of models that do not fit together.
        Assert.True(LruBaseline.WeightBytes(problem, trace) > models.Sum(m => m.Bytes));
        double perInput = (double)(LruBaseline.WeightBytes(plan, trace) - plan.ResidentBytes) / (trace.Length * problem.Batch);
        Assert.Equal(plan.StreamedBytesPerInput, perInput, plan.StreamedBytesPerInput * 0.1);
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
