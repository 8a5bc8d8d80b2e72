namespace CoDesign.Conformance;

/// <summary>
/// What the range analysis settles before the hardware is built: a loop test the code before it
/// decides, a counter a branch keeps small, a local that only ever holds a constant, a pointer that
/// only indexes a span; and calls whose entry, first iteration and return share cycles with the start
/// and the loop.
/// </summary>
public static class Settled
{
    /// <summary>
    /// A value of at most 8 bits takes one byte: after the first read the inner loop's test is false,
    /// so the loop goes and the outer loop is one pipelined block (the gearbox of WidthConverter with
    /// 4-bit values).
    /// </summary>
    public static int Nibbles(ReadOnlySpan<byte> memory, Span<int> values)
    {
        const int bits = 4;
        ulong held = 0;
        int heldBits = 0;
        int next = 0;
        for (int i = 0; i < values.Length; i++)
        {
            if (heldBits < bits)
            {
                do
                {
                    // Past the memory's end the stream reads as zeros (generated inputs may be short).
                    if (next < memory.Length)
                    {
                        held |= (ulong)memory[next] << heldBits;
                        next++;
                    }

                    heldBits += 8;
                }
                while (heldBits < bits);
            }

            values[i] = (int)(held & 15);
            held >>= bits;
            heldBits -= bits;
        }

        return next;
    }

    /// <summary>A count that a test inside an if keeps below 10 (if-conversion keeps the bound).</summary>
    public static int CappedCount(ReadOnlySpan<byte> data)
    {
        int count = 0;
        for (int i = 0; i < data.Length; i++)
        {
            if (data[i] > 100 && count < 9)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>A mask computed once from constants: no register holds it.</summary>
    public static int MaskedSum(ReadOnlySpan<int> data)
    {
        int width = 5;
        int mask = (1 << width) - 1;
        int sum = 0;
        for (int i = 0; i < data.Length; i++)
        {
            sum += data[i] & mask;
        }

        return sum;
    }

    /// <summary>
    /// A copy loop: the entry and the first iteration run in the start cycle and the return in the last
    /// iteration's last step, so a call takes one cycle per element and one more.
    /// </summary>
    public static int Copy(ReadOnlySpan<byte> from, Span<byte> to)
    {
        int n = Math.Min(from.Length, to.Length);
        for (int i = 0; i < n; i++)
        {
            to[i] = from[i];
        }

        return n;
    }

    /// <summary>A test that is false for every value the code before it can give: the branch goes.</summary>
    public static int NeverBelow(ReadOnlySpan<byte> data, int x)
    {
        int y = (x & 7) + 8;
        int sum = 0;
        for (int i = 0; i < data.Length; i++)
        {
            sum += y < 8 ? data[i] * 3 : data[i];
        }

        return sum;
    }
}
