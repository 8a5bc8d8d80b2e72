namespace CoDesign.Compression.Tests;

/// <summary>The per-layer densities compress picks when it is given none.</summary>
public sealed class DensityPlannerTests
{
    [Fact]
    public void The_plan_spends_the_overall_budget_and_no_more()
    {
        DenseMlp model = TestData.SmallModel;
        DensityPlan plan = DensityPlanner.Plan(model, TestData.Train);
        Assert.Equal(model.LayerCount, plan.LayerDensities.Count);
        Assert.All(plan.LayerDensities, d => Assert.InRange(d, 0.01, 1.0));
        double overall = Enumerable.Range(0, model.LayerCount).Sum(l => plan.LayerDensities[l] * model.Weights[l].Length) / model.WeightCount;
        Assert.InRange(overall, DensityPlanner.DefaultTarget - 0.002, DensityPlanner.DefaultTarget + 1e-9);
    }

    [Fact]
    public void The_big_first_layer_is_pruned_hardest()
    {
        // 784 x 64 weights against 64 x 32 and 32 x 10: the first layer is where the budget must come from.
        DensityPlan plan = DensityPlanner.Plan(TestData.SmallModel, TestData.Train);
        Assert.True(plan.LayerDensities[0] < plan.LayerDensities[1] && plan.LayerDensities[0] < plan.LayerDensities[2], string.Join(", ", plan.LayerDensities));
        Assert.True(plan.LayerDensities[0] < 0.1);
    }

    [Fact]
    public void A_pruned_network_compresses_to_the_planned_density_and_keeps_its_accuracy()
    {
        DenseMlp model = TestData.SmallModel;
        DensityPlan plan = DensityPlanner.Plan(model, TestData.Train, 0.2);
        DenseMlp pruned = model.Clone();
        MagnitudePruner.Prune(pruned, plan.LayerDensities);
        // Each layer rounds its kept count to a whole weight.
        Assert.InRange(pruned.Density, 0.19, 0.2 + (model.LayerCount * 0.5 / model.WeightCount));

        // Without retraining a 20 % plan stays close to the dense network on images it was not planned on.
        Assert.InRange(model.Accuracy(TestData.Test) - pruned.Accuracy(TestData.Test), -1, 0.05);
    }
}
