namespace CoDesign.Conformance;

/// <summary>Integer arithmetic and bitwise operators, wrapping as unchecked C# does.</summary>
public static class Arithmetic
{
    private const int Factor = 5;
    private const int Offset = -11;

    /// <summary>int addition that wraps at 32 bits.</summary>
    public static int Add(int a, int b) => a + b;

    /// <summary>uint subtraction that wraps below zero.</summary>
    public static uint SubtractUnsigned(uint a, uint b) => a - b;

    /// <summary>int multiplication keeping the low 32 bits.</summary>
    public static int Multiply(int a, int b) => a * b;

    /// <summary>Unary minus, including int.MinValue which negates to itself.</summary>
    public static int Negate(int a) => -a;

    /// <summary>&amp;, |, ^ and ~ on uint.</summary>
    public static uint Bitwise(uint a, uint b) => (a & b) | (~a ^ b);

    /// <summary>Every compound assignment operator on an int local.</summary>
    public static int CompoundAssignment(int a, int b)
    {
        int x = a;
        x += b;
        x *= 3;
        x -= a;
        x ^= b;
        x |= 1;
        x &= 0x7FFF_FFFF;
        x <<= 2;
        x >>= 1;
        return x;
    }

    /// <summary>Prefix and postfix ++ and -- and the values they yield.</summary>
    public static int IncrementDecrement(int a)
    {
        int x = a;
        x++;
        ++x;
        x--;
        int y = x++ + ++x;
        return y - --x + x--;
    }

    /// <summary>An unchecked block around a long multiply-add.</summary>
    public static long UncheckedMultiplyAdd(long a, long b, long c)
    {
        unchecked
        {
            return (a * b) + c;
        }
    }

    /// <summary>const locals and const fields folded into an expression.</summary>
    public static int Constants(int a)
    {
        const int Scale = 7;
        const int Bias = -3;
        return (a * Scale) + Bias + (a * Factor) + Offset;
    }

    /// <summary>Operator precedence without parentheses.</summary>
    public static int Precedence(int a, int b, int c) => a + b * c - a / 3 ^ b & c | a << 2;
}
