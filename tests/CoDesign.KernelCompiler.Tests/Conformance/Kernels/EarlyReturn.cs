namespace CoDesign.Conformance;

/// <summary>Returns from inside loops and branches.</summary>
public static class EarlyReturn
{
    /// <summary>A return inside a for loop, with a fall-through return after it.</summary>
    public static int HighestSetBit(uint a)
    {
        if (a == 0)
        {
            return -1;
        }

        for (int i = 31; i >= 0; i--)
        {
            if (((a >> i) & 1) != 0)
            {
                return i;
            }
        }

        return 32;
    }

    /// <summary>Linear search returning the first match.</summary>
    public static int IndexOf(ReadOnlySpan<int> data, int value)
    {
        for (int i = 0; i < data.Length; i++)
        {
            if (data[i] == value)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>A return out of two nested loops.</summary>
    public static int FactorPair(int a)
    {
        int target = a & 63;
        for (int i = 1; i < 8; i++)
        {
            for (int j = 1; j < 8; j++)
            {
                if (i * j == target)
                {
                    return (i * 8) + j;
                }
            }
        }

        return -1;
    }

    /// <summary>Guard clauses one after another.</summary>
    public static int GuardClauses(int a, int b)
    {
        if (a < 0)
        {
            return 0;
        }

        if (b < 0)
        {
            return 1;
        }

        if (a > b)
        {
            return 2;
        }

        return 3;
    }

    /// <summary>Early returns from a void kernel that writes a span.</summary>
    public static void WriteUntilNegative(Span<int> data, int a)
    {
        if (data.Length == 0)
        {
            return;
        }

        data[0] = a;
        if (a < 0)
        {
            return;
        }

        if (data.Length > 1)
        {
            data[1] = -a;
        }
    }

    /// <summary>A return from a while loop whose condition never ends it.</summary>
    public static int ReturnFromWhile(uint a)
    {
        uint x = a | 1;
        int i = 0;
        while (true)
        {
            x = (x * 1103515245) + 12345;
            i++;
            if ((x >> 28) == 7 || i == 50)
            {
                return i;
            }
        }
    }
}
