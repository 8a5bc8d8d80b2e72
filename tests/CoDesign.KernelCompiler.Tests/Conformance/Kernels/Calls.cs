namespace CoDesign.Conformance;

/// <summary>Calls of other static methods of the file: inlined helpers, nested, with spans and out parameters.</summary>
public static class Calls
{
    /// <summary>A one-line helper called twice.</summary>
    public static int SumOfSquares(int a, int b) => Square(a) + Square(b);

    /// <summary>A helper that calls a helper.</summary>
    public static int Nested(int a) => Twice(Square(a) + 1) - Twice(a);

    /// <summary>A helper taking a span, given a slice and an empty span.</summary>
    public static int SpanHelper(ReadOnlySpan<int> data) => data.Length > 1 ? Total(data.Slice(1)) + Total([]) : Total(data);

    /// <summary>A helper with an out parameter.</summary>
    public static int OutHelper(uint a)
    {
        Halves(a, out ushort high, out ushort low);
        return high - low;
    }

    /// <summary>A helper with a loop and an early return, called in a loop.</summary>
    public static int HelperInLoop(ReadOnlySpan<int> data)
    {
        int found = 0;
        for (int i = 0; i < data.Length; i++)
        {
            found += FirstDivisor(data[i]);
        }

        return found;
    }

    /// <summary>A helper writing through a span parameter.</summary>
    public static void FillHelper(Span<int> data, int a)
    {
        Fill(data, a);
        if (data.Length > 0)
        {
            data[0] = Square(data[0]);
        }
    }

    /// <summary>A bool-returning helper used as a condition.</summary>
    public static int BoolHelper(int a, int b) => IsBetween(a, 0, 100) && IsBetween(b, -5, 5) ? a + b : a - b;

    private static int Square(int x) => x * x;

    private static int Twice(int x) => Square(x) - (x * x) + x + x;

    private static int Total(ReadOnlySpan<int> data)
    {
        int sum = 0;
        for (int i = 0; i < data.Length; i++)
        {
            sum += data[i];
        }

        return sum;
    }

    private static void Halves(uint a, out ushort high, out ushort low)
    {
        high = (ushort)(a >> 16);
        low = (ushort)a;
    }

    private static int FirstDivisor(int x)
    {
        for (int d = 2; d < 10; d++)
        {
            if (x % d == 0)
            {
                return d;
            }
        }

        return 0;
    }

    private static void Fill(Span<int> data, int a)
    {
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = a + i;
        }
    }

    private static bool IsBetween(int x, int lo, int hi) => x >= lo && x <= hi;
}
