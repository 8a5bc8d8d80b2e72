namespace CoDesign.Conformance;

/// <summary>stackalloc of constant size as local memory, and [] as an empty span.</summary>
public static class Stackalloc
{
    /// <summary>A local table filled and read back.</summary>
    public static int Table(int a)
    {
        Span<int> table = stackalloc int[8];
        for (int i = 0; i < table.Length; i++)
        {
            table[i] = a * i;
        }

        return table[a & 7] - table[(a >> 3) & 7];
    }

    /// <summary>Reverses through a local buffer.</summary>
    public static void ReverseThroughBuffer(Span<int> data)
    {
        Span<int> buffer = stackalloc int[16];
        int n = Math.Min(data.Length, buffer.Length);
        for (int i = 0; i < n; i++)
        {
            buffer[i] = data[i];
        }

        for (int i = 0; i < n; i++)
        {
            data[i] = buffer[n - 1 - i];
        }
    }

    /// <summary>stackalloc memory starts zeroed.</summary>
    public static byte StartsZeroed(int i)
    {
        Span<byte> bytes = stackalloc byte[4];
        bytes[1] = 9;
        return bytes[i & 3];
    }

    /// <summary>[] is an empty span.</summary>
    public static int EmptyCollection(int a)
    {
        ReadOnlySpan<int> empty = [];
        return empty.Length + a;
    }

    /// <summary>A bool buffer of the bits of a value.</summary>
    public static int BitsThroughBoolBuffer(uint a)
    {
        Span<bool> bits = stackalloc bool[32];
        for (int i = 0; i < 32; i++)
        {
            bits[i] = ((a >> i) & 1) != 0;
        }

        int runs = 0;
        for (int i = 1; i < 32; i++)
        {
            if (bits[i] != bits[i - 1])
            {
                runs++;
            }
        }

        return runs;
    }

    /// <summary>A ushort buffer sorted by a fixed network of compare-swaps.</summary>
    public static ulong SortFour(ushort a, ushort b, ushort c, ushort d)
    {
        Span<ushort> v = stackalloc ushort[4];
        v[0] = a;
        v[1] = b;
        v[2] = c;
        v[3] = d;
        for (int pass = 0; pass < 3; pass++)
        {
            for (int i = 0; i < 3; i++)
            {
                if (v[i] > v[i + 1])
                {
                    ushort t = v[i];
                    v[i] = v[i + 1];
                    v[i + 1] = t;
                }
            }
        }

        return ((ulong)v[0] << 48) | ((ulong)v[1] << 32) | ((ulong)v[2] << 16) | v[3];
    }
}
