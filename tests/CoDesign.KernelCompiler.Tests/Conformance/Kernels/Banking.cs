namespace CoDesign.Conformance;

/// <summary>stackalloc memories read two elements per loop iteration, which memory banking splits into even and odd banks.</summary>
public static class Banking
{
    /// <summary>Pairs summed: a[2i] and a[2i+1] in one iteration.</summary>
    public static int PairSums(ReadOnlySpan<int> data)
    {
        Span<int> buffer = stackalloc int[16];
        for (int i = 0; (2 * i) + 1 < data.Length && i < 8; i++)
        {
            buffer[2 * i] = data[2 * i];
            buffer[(2 * i) + 1] = data[(2 * i) + 1];
        }

        int sum = 0;
        for (int i = 0; i < 8; i++)
        {
            sum += buffer[2 * i] * buffer[(2 * i) + 1];
        }

        return sum;
    }

    /// <summary>Written in pairs and read in pairs, with shifts and ORs as the index forms; an odd size.</summary>
    public static long Butterfly(ReadOnlySpan<short> data, int rounds)
    {
        Span<long> x = stackalloc long[9];
        for (int i = 0; i < 4 && 2 * i < data.Length; i++)
        {
            long odd = (2 * i) + 1 < data.Length ? data[(2 * i) + 1] : 7;
            x[i << 1] = data[2 * i];
            x[(i << 1) | 1] = odd;
        }

        x[8] = rounds;
        for (int r = 0; r < (rounds & 3); r++)
        {
            for (int i = 0; i < 4; i++)
            {
                long a = x[i << 1];
                long b = x[(i << 1) | 1];
                x[i << 1] = a + b;
                x[(i << 1) | 1] = a - b;
            }
        }

        return x[0] + (3 * x[1]) - x[6] + (x[7] * 5) + x[8];
    }

    /// <summary>Bytes in pairs, the loop bound from the input, results through a span.</summary>
    public static void Combine(ReadOnlySpan<byte> data, Span<int> output)
    {
        Span<byte> pairs = stackalloc byte[32];
        for (int i = 0; (2 * i) + 1 < data.Length && i < 16; i++)
        {
            pairs[(2 * i) + 1] = data[2 * i];
            pairs[2 * i] = data[(2 * i) + 1];
        }

        for (int i = 0; i < output.Length && i < 16; i++)
        {
            output[i] = (pairs[2 * i] << 8) | pairs[(2 * i) + 1];
        }
    }

    /// <summary>One access with an index of unknown parity: the memory stays one bank, and the result is the same.</summary>
    public static int MixedIndex(ReadOnlySpan<int> data, int k)
    {
        Span<int> buffer = stackalloc int[8];
        for (int i = 0; i < data.Length && i < 8; i++)
        {
            buffer[i] = data[i];
        }

        int sum = 0;
        for (int i = 0; i < 4; i++)
        {
            sum += buffer[2 * i] - buffer[(2 * i) + 1];
        }

        return sum + buffer[k & 7];
    }

    /// <summary>A pair of reads from a uint table with a data-dependent pair number.</summary>
    public static uint Lookup(ReadOnlySpan<uint> keys)
    {
        Span<uint> table = stackalloc uint[10];
        for (int i = 0; i < 10; i++)
        {
            table[i] = (uint)(i * 2654435761u);
        }

        uint h = 0;
        for (int i = 0; i < keys.Length; i++)
        {
            int pair = (int)(keys[i] % 5);
            h ^= table[2 * pair] + table[(2 * pair) + 1];
        }

        return h;
    }
}
