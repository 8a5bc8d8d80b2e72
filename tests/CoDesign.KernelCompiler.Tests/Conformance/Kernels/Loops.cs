namespace CoDesign.Conformance;

/// <summary>for, while and do loops with break and continue; every loop is bounded for any input.</summary>
public static class Loops
{
    /// <summary>A for loop up to a masked bound.</summary>
    public static int SumTo(int n)
    {
        int limit = n & 63;
        int sum = 0;
        for (int i = 1; i <= limit; i++)
        {
            sum += i;
        }

        return sum;
    }

    /// <summary>A while loop that halves until zero (at most 32 turns).</summary>
    public static int BitLength(uint a)
    {
        int steps = 0;
        while (a != 0)
        {
            a >>= 1;
            steps++;
        }

        return steps;
    }

    /// <summary>A do loop that runs at least once.</summary>
    public static int DecimalDigits(uint a)
    {
        int digits = 0;
        do
        {
            a /= 10;
            digits++;
        }
        while (a != 0);
        return digits;
    }

    /// <summary>break out of a for loop at the lowest set bit.</summary>
    public static int LowestSetBit(uint a)
    {
        int position = -1;
        for (int i = 0; i < 32; i++)
        {
            if (((a >> i) & 1) != 0)
            {
                position = i;
                break;
            }
        }

        return position;
    }

    /// <summary>continue skips odd indexes.</summary>
    public static int SumEvens(int n)
    {
        int limit = n & 31;
        int sum = 0;
        for (int i = 0; i < limit; i++)
        {
            if ((i & 1) != 0)
            {
                continue;
            }

            sum += i;
        }

        return sum;
    }

    /// <summary>Two nested for loops.</summary>
    public static int NestedProducts(int a, int b)
    {
        int rows = a & 7;
        int columns = b & 7;
        int sum = 0;
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                sum += (i * j) ^ sum;
            }
        }

        return sum;
    }

    /// <summary>A while loop with a second exit condition (Collatz steps, at most 200).</summary>
    public static int CollatzSteps(uint a)
    {
        uint x = a;
        int steps = 0;
        while (x > 1 && steps < 200)
        {
            x = (x & 1) == 0 ? x / 2 : (3 * x) + 1;
            steps++;
        }

        return steps;
    }

    /// <summary>A loop counting down.</summary>
    public static int CountDown(int n)
    {
        int sum = 0;
        for (int i = n & 15; i > 0; i--)
        {
            sum = (sum * 2) + i;
        }

        return sum;
    }

    /// <summary>Euclid's algorithm in a bounded for loop (fewer than 48 turns for 32 bits).</summary>
    public static uint Gcd(uint a, uint b)
    {
        for (int i = 0; i < 100 && b != 0; i++)
        {
            uint t = a % b;
            a = b;
            b = t;
        }

        return a;
    }

    /// <summary>break and continue in a while loop.</summary>
    public static int WhileBreakContinue(int a)
    {
        int i = 0;
        int sum = 0;
        while (i < 40)
        {
            i++;
            if (i % 3 == 0)
            {
                continue;
            }

            if (sum > (a & 255))
            {
                break;
            }

            sum += i;
        }

        return sum * 100 + i;
    }
}
