using BenchmarkDotNet.Attributes;

namespace CoDesign.Benchmarks;

/// <summary>Unpack and pack of 1 Mi values for representative (value width, word width) pairs.</summary>
public class WidthConverterBenchmarks
{
    private WidthWorkload _workload = null!;

    /// <summary>"valueBits/wordBits", signed values.</summary>
    [Params("4/32", "16/64", "3/8", "8/64", "12/32")]
    public string Widths { get; set; } = "4/32";

    [GlobalSetup]
    public void Setup()
    {
        string[] parts = Widths.Split('/');
        _workload = new WidthWorkload(int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), signed: true, count: 1 << 20, seed: 3);
        string? problem = _workload.Verify();
        if (problem is not null)
        {
            throw new InvalidOperationException($"refusing to time a wrong computation: {problem}");
        }
    }

    [Benchmark]
    public long Unpack() => _workload.Unpack();

    [Benchmark]
    public long Pack() => _workload.Pack();
}
