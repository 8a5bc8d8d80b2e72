using CoDesign.Kernels;

namespace CoDesign.Benchmarks;

/// <summary>One bit-width conversion case: <see cref="Count"/> values of <see cref="ValueBits"/> bits in words of <see cref="WordBits"/>.</summary>
public sealed class WidthWorkload
{
    private readonly int[] _values;
    private readonly int[] _unpacked;
    private readonly byte[] _memory;

    public WidthWorkload(int wordBits, int valueBits, bool signed, int count, int seed)
    {
        WordBits = wordBits;
        ValueBits = valueBits;
        Signed = signed;
        var random = new Random(seed);
        _values = new int[count];
        long min = signed ? -(1L << (valueBits - 1)) : 0;
        long max = signed ? (1L << (valueBits - 1)) - 1 : (1L << valueBits) - 1;
        for (int i = 0; i < count; i++)
        {
            _values[i] = unchecked((int)random.NextInt64(min, max + 1));
        }

        _unpacked = new int[count];
        _memory = new byte[WidthConverter.ByteCount(count, valueBits, wordBits)];
        WidthConverter.Pack(_values, valueBits, _memory, wordBits);
    }

    public int WordBits { get; }

    public int ValueBits { get; }

    public bool Signed { get; }

    public int Count => _values.Length;

    /// <summary>Bytes of packed memory one pass reads or writes.</summary>
    public long PackedBytes => _memory.Length;

    public string Name => $"{(Signed ? "s" : "u")}{ValueBits} in {WordBits}-bit words";

    public long Unpack() => WidthConverter.Unpack(_memory, WordBits, ValueBits, Signed, _unpacked);

    public long Pack() => WidthConverter.Pack(_values, ValueBits, _memory, WordBits);

    /// <summary>Null when a pack/unpack round trip returns the values and touches the expected number of words.</summary>
    public string? Verify()
    {
        long words = WidthConverter.WordCount(Count, ValueBits, WordBits);
        if (Pack() != words || Unpack() != words)
        {
            return $"{Name}: words touched differ from {words}";
        }

        return _unpacked.AsSpan().SequenceEqual(_values) ? null : $"{Name}: round trip changed the values";
    }
}
