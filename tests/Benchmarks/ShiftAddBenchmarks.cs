using BenchmarkDotNet.Attributes;

namespace CoDesign.Benchmarks;

/// <summary>65,536 products of u8 x s16: native multiply (baseline) against shift-and-add.</summary>
public class ShiftAddBenchmarks
{
    private ShiftAddWorkload _workload = null!;

    [GlobalSetup]
    public void Setup()
    {
        _workload = new ShiftAddWorkload(1 << 16, seed: 7);
        string? problem = _workload.Verify();
        if (problem is not null)
        {
            throw new InvalidOperationException($"refusing to time a wrong computation: {problem}");
        }
    }

    [Benchmark(Baseline = true)]
    public void NativeMultiply() => _workload.Native();

    [Benchmark]
    public void ShiftAddPrecoded() => _workload.ShiftAddRecoded();

    [Benchmark]
    public void ShiftAddRadix4Precoded() => _workload.ShiftAddRadix4();

    [Benchmark]
    public void ShiftAddRecodeEachCall() => _workload.ShiftAddWithRecode();
}
