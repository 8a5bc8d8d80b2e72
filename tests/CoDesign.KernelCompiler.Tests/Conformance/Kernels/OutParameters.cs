namespace CoDesign.Conformance;

/// <summary>out parameters: assigned on every path, alone or with a return value.</summary>
public static class OutParameters
{
    /// <summary>Quotient and remainder, guarded.</summary>
    public static bool DivMod(int a, int b, out int quotient, out int remainder)
    {
        if (b == 0 || (a == int.MinValue && b == -1))
        {
            quotient = 0;
            remainder = 0;
            return false;
        }

        quotient = a / b;
        remainder = a % b;
        return true;
    }

    /// <summary>Minimum and maximum of a span.</summary>
    public static bool MinMax(ReadOnlySpan<int> data, out int min, out int max)
    {
        min = int.MaxValue;
        max = int.MinValue;
        for (int i = 0; i < data.Length; i++)
        {
            min = Math.Min(min, data[i]);
            max = Math.Max(max, data[i]);
        }

        return data.Length > 0;
    }

    /// <summary>Splits a ulong into halves.</summary>
    public static void Split(ulong a, out uint high, out uint low)
    {
        high = (uint)(a >> 32);
        low = (uint)a;
    }

    /// <summary>Constants through out parameters, no inputs.</summary>
    public static void Constants(out byte b, out bool c, out long d)
    {
        b = 200;
        c = true;
        d = long.MinValue;
    }

    /// <summary>An out parameter assigned in both branches and then read.</summary>
    public static int AssignedInBranches(int a, out int x)
    {
        if (a > 0)
        {
            x = 1;
        }
        else
        {
            x = 2;
        }

        return x * a;
    }

    /// <summary>An out parameter updated in a loop.</summary>
    public static void CountBits(ulong a, out int ones)
    {
        ones = 0;
        for (int i = 0; i < 64; i++)
        {
            ones += (int)((a >> i) & 1);
        }
    }
}
