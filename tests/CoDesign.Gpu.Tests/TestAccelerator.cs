using ILGPU.Runtime;

namespace CoDesign.Gpu.Tests;

/// <summary>
/// ILGPU's CPU accelerator, opened once for the test run (CI has no GPU, and a forced kind keeps the
/// results the same on a machine that has one).
/// </summary>
internal static class TestAccelerator
{
    private static readonly Lazy<GpuDevice> Device = new(() => GpuAccelerators.Open("cpu"));

    public static Accelerator Cpu => Device.Value.Accelerator;

    public static string KernelsFolder { get; } = Path.Combine(AppContext.BaseDirectory, "kernels");

    public static string CorpusFolder { get; } = Path.Combine(AppContext.BaseDirectory, "corpus");

    // string.GetHashCode differs between runs; the seed must not.
    public static int StableSeed(string text) => text.Aggregate(17, (hash, c) => unchecked((hash * 31) + c));
}
