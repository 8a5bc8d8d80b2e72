using CoDesign.Kernels;

namespace CoDesign.Benchmarks;

/// <summary>
/// Element-wise products of 8-bit unsigned activations and signed 16-bit weights: native multiply against the
/// shift-add multiplier, with the weights recoded ahead of time (as the hardware stores them) and recoded per call.
/// </summary>
public sealed class ShiftAddWorkload
{
    private readonly int[] _x;
    private readonly int[] _constants;
    private readonly uint[] _plus;
    private readonly uint[] _minus;
    private readonly int[] _y;

    public ShiftAddWorkload(int count, int seed)
    {
        var random = new Random(seed);
        _x = new int[count];
        _constants = new int[count];
        _plus = new uint[count];
        _minus = new uint[count];
        _y = new int[count];
        for (int i = 0; i < count; i++)
        {
            _x[i] = random.Next(0, 256);
            _constants[i] = random.Next(short.MinValue, short.MaxValue + 1);
            ShiftAddMultiplier.Recode(_constants[i], out _plus[i], out _minus[i]);
            TotalSteps += ShiftAddMultiplier.Steps(_plus[i], _minus[i]);
        }
    }

    public int Count => _x.Length;

    /// <summary>Add/subtract steps of one pass over the arrays.</summary>
    public long TotalSteps { get; }

    public void Native()
    {
        int[] x = _x;
        int[] c = _constants;
        int[] y = _y;
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = x[i] * c[i];
        }
    }

    public void ShiftAddRecoded()
    {
        int[] x = _x;
        uint[] plus = _plus;
        uint[] minus = _minus;
        int[] y = _y;
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = ShiftAddMultiplier.Multiply(x[i], plus[i], minus[i], out _);
        }
    }

    public void ShiftAddWithRecode()
    {
        int[] x = _x;
        int[] c = _constants;
        int[] y = _y;
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = ShiftAddMultiplier.Multiply(x[i], c[i], out _);
        }
    }

    /// <summary>Null when both shift-add variants equal native multiplication on every pair.</summary>
    public string? Verify()
    {
        foreach ((string name, Action run) in new (string, Action)[] { ("shift-add (recoded)", ShiftAddRecoded), ("shift-add (recode per call)", ShiftAddWithRecode) })
        {
            Array.Fill(_y, int.MinValue);
            run();
            for (int i = 0; i < _y.Length; i++)
            {
                if (_y[i] != _x[i] * _constants[i])
                {
                    return $"{name}: {_x[i]} * {_constants[i]} gave {_y[i]}";
                }
            }
        }

        return null;
    }
}
