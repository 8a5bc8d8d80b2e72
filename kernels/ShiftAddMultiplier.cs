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

    /// <summary><c>x * constant</c> by shifts and adds; <paramref name="steps"/> receives the step count.</summary>
    public static int Multiply(int x, int constant, out int steps)
    {
        Recode(constant, out uint plus, out uint minus);
        return Multiply(x, plus, minus, out steps);
    }
}
