namespace CoDesign.Conformance;

/// <summary>if/else chains, nested ifs and the conditional operator.</summary>
public static class Branches
{
    private const bool Saturate = true;
    private const int Limit = 1000;

    /// <summary>An if/else-if/else chain assigning a local.</summary>
    public static int Sign(int a)
    {
        int s;
        if (a > 0)
        {
            s = 1;
        }
        else if (a < 0)
        {
            s = -1;
        }
        else
        {
            s = 0;
        }

        return s;
    }

    /// <summary>Swapping parameters in an if, then clamping.</summary>
    public static int Clamp(int a, int lo, int hi)
    {
        if (lo > hi)
        {
            int t = lo;
            lo = hi;
            hi = t;
        }

        if (a < lo)
        {
            return lo;
        }

        return a > hi ? hi : a;
    }

    /// <summary>A chain of conditional operators.</summary>
    public static int Grade(int a) => a >= 90 ? 4 : a >= 80 ? 3 : a >= 70 ? 2 : a >= 60 ? 1 : 0;

    /// <summary>Nested ifs on two inputs.</summary>
    public static int Quadrant(int x, int y)
    {
        if (x >= 0)
        {
            if (y >= 0)
            {
                return 1;
            }

            return 4;
        }

        if (y >= 0)
        {
            return 2;
        }

        return 3;
    }

    /// <summary>A bool parameter selecting a value.</summary>
    public static int Select(bool c, int a, int b) => c ? a : b;

    /// <summary>Ifs without else that change a local.</summary>
    public static uint IfWithoutElse(uint a)
    {
        uint x = a;
        if ((x & 1) != 0)
        {
            x = (x * 3) + 1;
        }

        if (x > 1000)
        {
            x >>= 4;
        }

        return x;
    }

    /// <summary>A conditional whose arms have different widths (byte and long).</summary>
    public static long MixedWidthArms(bool c, byte a, long b) => c ? a : b;

    /// <summary>Branches on constants (configuration consts): one arm of each is dead code.</summary>
    public static int ConstantConditions(int a)
    {
        if (Saturate && a > Limit)
        {
            return Limit;
        }

        if (!Saturate)
        {
            return -a;
        }

        return Limit > 0 ? a : -a;
    }
}
