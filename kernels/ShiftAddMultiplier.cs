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
    public static void Recode(int constant, out uint plus, out uint minus)
    {
        plus = 0;
        minus = 0;
        long c = constant;
        // Stryker disable once Logical : equivalent, see tests/mutation/EQUIVALENT.md (c reaches 0 by digit 31)
        for (int position = 0; c != 0 && position < MaxDigits; position++)
        {
            if ((c & 1) != 0)
            {
                // c mod 4 == 1 -> digit +1; c mod 4 == 3 -> digit -1 (this leaves a multiple of 4,
                // so the next digit is zero: no two adjacent nonzeros).
                if ((c & 3) == 1)
                {
                    plus |= 1u << position;
                    c -= 1;
                }
                else
                {
                    minus |= 1u << position;
                    c += 1;
                }
            }

            c >>= 1;
        }
    }

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
