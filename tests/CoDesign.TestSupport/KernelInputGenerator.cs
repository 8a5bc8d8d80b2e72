using CoDesign.KernelCompiler.Execution;
using CoDesign.KernelCompiler.Signature;

namespace CoDesign.TestSupport;

/// <summary>
/// Deterministic random calls of a kernel: scalars and span elements half from the values where bugs
/// live (0, 1, -1, the type's min and max, powers of two and their neighbours), half uniform over the
/// type; spans 0 to <c>maxSpanLength</c> long. The same seed gives the same calls.
/// </summary>
public sealed class KernelInputGenerator(int seed, int maxSpanLength = 16)
{
    private readonly Random random = new(seed);

    /// <summary>The longest span generated.</summary>
    public int MaxSpanLength { get; } = maxSpanLength;

    /// <summary><paramref name="count"/> calls of <paramref name="signature"/>.</summary>
    public IReadOnlyList<KernelCall> Calls(KernelSignature signature, int count) =>
        [.. Enumerable.Range(0, count).Select(_ => Next(signature))];

    /// <summary>One call: every scalar and span has a value, out parameters an empty array (as parsed arguments have).</summary>
    public KernelCall Next(KernelSignature signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        var arguments = new Dictionary<string, long[]>(StringComparer.Ordinal);
        foreach (KernelParameter parameter in signature.Parameters)
        {
            arguments[parameter.Name] = parameter.Kind switch
            {
                KernelParameterKind.Out => [],
                KernelParameterKind.Scalar => [parameter.Range is (long low, long high) ? Within(low, high) : Value(parameter.Type)],
                _ => [.. Enumerable.Range(0, random.Next(MaxSpanLength + 1)).Select(_ => Value(parameter.Type))],
            };
        }

        return new KernelCall(signature, arguments);
    }

    /// <summary>A value a range contract allows: half its ends and their neighbours, half uniform.</summary>
    public long Within(long low, long high)
    {
        long value = random.Next(4) switch
        {
            0 => low,
            1 => high,
            2 => random.Next(2) == 0 ? low + 1 : high - 1,
            _ => random.NextInt64(low, high == long.MaxValue ? high : high + 1),
        };
        return Math.Clamp(value, low, high);
    }

    /// <summary>One value of <paramref name="type"/>, normalized.</summary>
    public long Value(KernelValueType type)
    {
        if (type.IsBool)
        {
            return random.Next(2);
        }

        long raw = random.Next(2) == 0 ? Edge(type) : random.NextInt64() ^ (random.NextInt64() << 1);
        return type.Normalize(raw);
    }

    private long Edge(KernelValueType type)
    {
        int power = random.Next(type.Bits);
        return random.Next(8) switch
        {
            0 => 0,
            1 => 1,
            2 => -1,
            3 => type.MinValue,
            4 => unchecked((long)type.MaxValue),
            5 => 1L << power,
            6 => (1L << power) - 1,
            _ => (1L << power) + 1,
        };
    }
}
