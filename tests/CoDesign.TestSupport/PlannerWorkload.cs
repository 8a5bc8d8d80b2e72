using CoDesign.Planner.Profile;
using CoDesign.Runtime;

namespace CoDesign.TestSupport;

/// <summary>
/// The memory planner's multi-model workload, which its benchmark measures and a board test runs on the exact
/// iCEBreaker top: eight random models of about the shipped model's size (784-(224 + 16 i)-128-10, 9 % dense,
/// 380 KB together in blocks) under a Zipf request mix.
/// </summary>
public static class PlannerWorkload
{
    /// <summary>The eight models measured for <paramref name="device"/> in blocks of about <paramref name="blockBytes"/>.</summary>
    public static ModelProfile[] EightModels(DeviceProfile device, int blockBytes = 2048) =>
        [.. Enumerable.Range(0, 8).Select(i => ModelProfile.Measure(RandomSparseModel.Create(800 + i, [784, 224 + (16 * i), 128, 10], 0.09, name: $"model{i}"), device, blockBytes))];

    /// <summary>A Zipf mix: model i (from 0) is asked for in proportion to 1 / (i + 1).</summary>
    public static RequestMix Zipf(IEnumerable<ModelProfile> models) =>
        RequestMix.FromWeights(models.Select((m, i) => (m.Name, 1.0 / (i + 1))).ToDictionary(p => p.Name, p => p.Item2));
}
