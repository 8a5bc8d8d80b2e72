namespace CoDesign.Kernels;

/// <summary>
/// Multiplication by shifts and adds only (the in-memory multiply of seed 000, and what an iCE40 HX
/// without multipliers must do). Constants are recoded into canonical signed digits (CSD): digits in
/// {-1, 0, +1} with no two adjacent nonzeros, so a B-bit two's-complement constant has at most
/// ceil(B/2) nonzero digits and its multiply takes at most ceil(B/2) add/subtract steps.
/// </summary>
/// <remarks>
/// A recoded constant is two bit masks: bit k of <c>plus</c> means +2^k, bit k of <c>minus</c> means
/// -2^k. Constants up to 31 bits are supported; a signed 16-bit constant uses digits 0..15.
/// Products wrap modulo 2^32.
/// </remarks>
public static class ShiftAddMultiplier
{
    /// <summary>Highest digit position a recoded constant can use (digits 0..31).</summary>
    public const int MaxDigits = 32;

    /// <summary>Recodes <paramref name="constant"/> into CSD digit masks.</summary>
    /// <remarks>
    /// Without a loop, by Reitwiesner's identity: with <c>h = c &gt;&gt; 1</c> (arithmetic) and
    /// <c>t = c + h</c>, the nonzero digits are where <c>h</c> and <c>t</c> differ, <c>+1</c> where
    /// <c>t</c> has the bit and <c>-1</c> where <c>h</c> has it. That is one carry chain in hardware
    /// (the PE's recoder is compiled from <see cref="Recode16"/>), and the same digits as recoding
    /// digit by digit (c mod 4 == 1 gives +1, == 3 gives -1), which the tests check.
    /// </remarks>
    public static void Recode(int constant, out uint plus, out uint minus)
    {
        long c = constant;
        long h = c >> 1;
        long t = c + h;
        long differ = h ^ t;
        plus = unchecked((uint)(t & differ));
        minus = unchecked((uint)(h & differ));
    }

    /// <summary>
    /// <see cref="Recode"/> of a 16-bit codebook value, as the PE recodes each weight on its way to the
    /// multiplier (digits 0..16): the kernel the PE's recoder is compiled from.
    /// </summary>
    public static void Recode16(short constant, out uint plus, out uint minus) => Recode(constant, out plus, out minus);

    /// <summary>Add/subtract steps a multiply by the recoded constant takes: its nonzero digits.</summary>
    public static int Steps(uint plus, uint minus) => System.Numerics.BitOperations.PopCount(plus | minus);

    /// <summary>Add/subtract steps a multiply by <paramref name="constant"/> takes.</summary>
    public static int Steps(int constant)
    {
        Recode(constant, out uint plus, out uint minus);
        return Steps(plus, minus);
    }

    /// <summary>
    /// <c>x</c> times the recoded constant, by one shift and one add or subtract per nonzero digit.
    /// <paramref name="steps"/> receives the number of add/subtract steps taken.
    /// </summary>
    public static int Multiply(int x, uint plus, uint minus, out int steps)
    {
        int product = 0;
        steps = 0;
        uint digits = plus | minus;
        for (int position = 0; position < MaxDigits && (digits >> position) != 0; position++)
        {
            uint bit = 1u << position;
            if ((plus & bit) != 0)
            {
                product = unchecked(product + (x << position));
                steps++;
            }
            else if ((minus & bit) != 0)
            {
                product = unchecked(product - (x << position));
                steps++;
            }
        }

        return product;
    }

    /// <summary>
    /// An 8-bit activation times a recoded 16-bit codebook value (digits 0..15, as <see cref="Recode16"/>
    /// gives them for any <c>short</c>): the PE's multiply, and the kernel its multiplier is compiled from.
    /// </summary>
    /// <remarks>
    /// Radix 4, without a loop, written as the hardware computes it: CSD never has two adjacent nonzero
    /// digits, so each digit pair (2g, 2g+1) contributes 0, x or 2x times 4^g, with a sign. A negative
    /// pair is inverted (<c>~m = -m - 1</c>) and its +1 is ORed into bit 2g of the next pair's term, a
    /// bit that term never uses, so it costs no adder; the top pair negates outright. The eight terms
    /// are summed in a balanced tree. For masks that are a CSD recoding the product equals
    /// <see cref="Multiply(int, uint, uint, out int)"/>'s (a test checks every constant and activation).
    /// </remarks>
    public static int MultiplyActivation(byte x, ushort plus, ushort minus)
    {
        int digits = plus | minus;
        int n0 = Negative(minus, 0);
        int n1 = Negative(minus, 2);
        int n2 = Negative(minus, 4);
        int n3 = Negative(minus, 6);
        int n4 = Negative(minus, 8);
        int n5 = Negative(minus, 10);
        int n6 = Negative(minus, 12);
        int n7 = Negative(minus, 14);
        int t0 = Magnitude(x, digits, 0) ^ -n0;
        int t1 = ((Magnitude(x, digits, 2) ^ -n1) << 2) | n0;
        int t2 = ((Magnitude(x, digits, 4) ^ -n2) << 4) | (n1 << 2);
        int t3 = ((Magnitude(x, digits, 6) ^ -n3) << 6) | (n2 << 4);
        int t4 = ((Magnitude(x, digits, 8) ^ -n4) << 8) | (n3 << 6);
        int t5 = ((Magnitude(x, digits, 10) ^ -n5) << 10) | (n4 << 8);
        int t6 = ((Magnitude(x, digits, 12) ^ -n6) << 12) | (n5 << 10);
        int top = Magnitude(x, digits, 14);
        int t7 = ((n7 != 0 ? -top : top) << 14) | (n6 << 12);
        return ((t0 + t1) + (t2 + t3)) + ((t4 + t5) + (t6 + t7));
    }

    /// <summary>The magnitude of the digit pair at <paramref name="position"/>: x for its low digit, 2x for its high one, else 0.</summary>
    private static int Magnitude(byte x, int digits, int position) =>
        ((digits >> position) & 1) != 0 ? x : ((digits >> position) & 2) != 0 ? x << 1 : 0;

    /// <summary>1 when the digit pair at <paramref name="position"/> holds a -1 digit.</summary>
    private static int Negative(int minus, int position) => ((minus >> position) & 3) != 0 ? 1 : 0;

    /// <summary><c>x * constant</c> by shifts and adds; <paramref name="steps"/> receives the step count.</summary>
    public static int Multiply(int x, int constant, out int steps)
    {
        Recode(constant, out uint plus, out uint minus);
        return Multiply(x, plus, minus, out steps);
    }
}
