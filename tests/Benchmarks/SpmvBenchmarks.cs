using BenchmarkDotNet.Attributes;

namespace CoDesign.Benchmarks;

/// <summary>
/// 4096 x 4096 sparse layer, 4 PEs, half the activations zero: our CCS kernel (one thread, and parallel over
/// PEs) against MathNet's sparse product (the baseline) and dense integer products.
/// </summary>
[MemoryDiagnoser]
public class SpmvBenchmarks
{
    private SpmvWorkload _workload = null!;

    [Params(0.10, 0.02)]
    public double Density { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _workload = new SpmvWorkload(4096, 4096, Density, peCount: 4, seed: 2024);
        string? problem = _workload.Verify();
        if (problem is not null)
        {
            throw new InvalidOperationException($"refusing to time a wrong computation: {problem}");
        }
    }

    [Benchmark(Baseline = true)]
    public void MathNetSparseTimesDense() => _workload.MathNet();

    [Benchmark]
    public void CsrLoopOverMathNetArrays() => _workload.CsrLoop();

    [Benchmark]
    public void CcsSingleThread() => _workload.CcsSingleThread();

    [Benchmark]
    public void CcsParallelOverPes() => _workload.CcsParallel();

    [Benchmark]
    public void DenseIntScalar() => _workload.DenseScalar();

    [Benchmark]
    public void DenseIntSimd() => _workload.DenseSimd();
}
