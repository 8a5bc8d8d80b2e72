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
    private readonly byte[] _x8;
    private readonly ushort[] _plus16;
    private readonly ushort[] _minus16;
    private readonly int[] _y;

    public ShiftAddWorkload(int count, int seed)
    {
        var random = new Random(seed);
        _x = new int[count];
        _constants = new int[count];
        _plus = new uint[count];
        _minus = new uint[count];
        _x8 = new byte[count];
        _plus16 = new ushort[count];
        _minus16 = new ushort[count];
        _y = new int[count];
        for (int i = 0; i < count; i++)
        {
            _x[i] = random.Next(0, 256);
            _constants[i] = random.Next(short.MinValue, short.MaxValue + 1);
            ShiftAddMultiplier.Recode(_constants[i], out _plus[i], out _minus[i]);
            TotalSteps += ShiftAddMultiplier.Steps(_plus[i], _minus[i]);
            // The PE's operand types: digit 16 of a 16-bit constant's recoding is always zero.
            _x8[i] = (byte)_x[i];
            _plus16[i] = (ushort)_plus[i];
            _minus16[i] = (ushort)_minus[i];
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

    /// <summary>The PE's kernel: radix 4, loop-free, on a byte and 16-digit masks recoded ahead.</summary>
    public void ShiftAddRadix4()
    {
        byte[] x = _x8;
        ushort[] plus = _plus16;
        ushort[] minus = _minus16;
        int[] y = _y;
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = ShiftAddMultiplier.MultiplyActivation(x[i], plus[i], minus[i]);
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
        foreach ((string name, Action run) in new (string, Action)[] { ("shift-add (recoded)", ShiftAddRecoded), ("shift-add radix 4 (recoded)", ShiftAddRadix4), ("shift-add (recode per call)", ShiftAddWithRecode) })
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
