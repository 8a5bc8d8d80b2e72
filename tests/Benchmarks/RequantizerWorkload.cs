using CoDesign.Kernels;

namespace CoDesign.Benchmarks;

/// <summary>
/// The layer end on the CPU: <see cref="Requantizer.ReluShiftSaturate(ReadOnlySpan{int}, int, Span{byte})"/>
/// over <see cref="Count"/> accumulators (half of them negative, magnitudes up to 2^24) at one shift.
/// </summary>
public sealed class RequantizerWorkload
{
    private readonly int[] _accumulators;
    private readonly byte[] _activations;

    public RequantizerWorkload(int count, int shift, int seed)
    {
        Shift = shift;
        var random = new Random(seed);
        _accumulators = [.. Enumerable.Range(0, count).Select(_ => random.Next(-(1 << 24), 1 << 24))];
        _activations = new byte[count];
    }

    public int Shift { get; }

    public int Count => _accumulators.Length;

    public void Run() => Requantizer.ReluShiftSaturate(_accumulators, Shift, _activations);

    /// <summary>Null when every activation equals the formula in 64-bit arithmetic, else the first that does not.</summary>
    public string? Verify()
    {
        Run();
        for (int i = 0; i < Count; i++)
        {
            long value = _accumulators[i];
            long expected = value <= 0 ? 0 : Math.Min(255, (value + (Shift > 0 ? 1L << (Shift - 1) : 0)) >> Shift);
            if (_activations[i] != expected)
            {
                return $"acc {value}, shift {Shift}: {_activations[i]} instead of {expected}";
            }
        }

        return null;
    }
}
