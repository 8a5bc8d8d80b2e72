namespace CoDesign.Kernels.Tests;

/// <summary>
/// The shift-add multiplier against ordinary multiplication, exhaustively for the widths the PEs use, and
/// the canonical-signed-digit bounds on its step count.
/// </summary>
public sealed class ShiftAddMultiplierTests
{
    /// <summary>
    /// Recode (one carry chain) gives the digits of recoding digit by digit (c mod 4 == 1 -> +1,
    /// == 3 -> -1): every 16-bit constant, the int edges, and a million random ints.
    /// </summary>
    [Fact]
    public void RecodeEqualsDigitByDigitRecoding()
    {
        var random = new Random(1);
        IEnumerable<int> constants = Enumerable.Range(short.MinValue, 65536)
            .Concat([int.MinValue, int.MinValue + 1, int.MaxValue, int.MaxValue - 1, 0x5555_5555, 0x6000_0000, -0x5555_5555, 0x2AAA_AAAB])
            .Concat(Enumerable.Range(0, 1_000_000).Select(_ => random.Next(int.MinValue, int.MaxValue)));
        foreach (int constant in constants)
        {
            ShiftAddMultiplier.Recode(constant, out uint plus, out uint minus);
            (uint expectedPlus, uint expectedMinus) = DigitByDigit(constant);
            Assert.True(plus == expectedPlus && minus == expectedMinus, $"{constant}: {plus:X8}/{minus:X8}, digit by digit {expectedPlus:X8}/{expectedMinus:X8}");
        }

        ShiftAddMultiplier.Recode16(-12345, out uint p16, out uint m16);
        ShiftAddMultiplier.Recode(-12345, out uint p32, out uint m32);
        Assert.Equal((p32, m32), (p16, m16));
    }

    /// <summary>
    /// The PE's radix-4 multiply equals native multiplication for every 16-bit constant (recoded by
    /// Recode16, whose digit 16 is always zero) and every unsigned 8-bit activation.
    /// </summary>
    [Fact]
    public void MultiplyActivationEqualsNativeMultiplyForEverySigned16BitConstantAndByte()
    {
        string? firstFailure = null;
        Parallel.For(short.MinValue, short.MaxValue + 1, constant =>
        {
            ShiftAddMultiplier.Recode16((short)constant, out uint plus, out uint minus);
            if (((plus | minus) >> 16) != 0)
            {
                Interlocked.CompareExchange(ref firstFailure, $"{constant} uses digit 16", null);
                return;
            }

            for (int x = 0; x < 256; x++)
            {
                int product = ShiftAddMultiplier.MultiplyActivation((byte)x, (ushort)plus, (ushort)minus);
                if (product != x * constant)
                {
                    Interlocked.CompareExchange(ref firstFailure, $"{x} * {constant}: got {product}", null);
                }
            }
        });

        Assert.Null(firstFailure);
    }

    // The textbook recoding, as the test's oracle.
    private static (uint Plus, uint Minus) DigitByDigit(int constant)
    {
        uint plus = 0;
        uint minus = 0;
        long c = constant;
        for (int position = 0; c != 0 && position < 32; position++)
        {
            if ((c & 1) != 0)
            {
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

        return (plus, minus);
    }

    [Fact]
    public void EqualsNativeMultiplyForAllUnsigned8BitAndSigned8BitTimesSigned16BitPairs()
    {
        // 65,536 constants x (256 unsigned + 256 signed) multiplicands = 2 x 2^24 products.
        long checkedProducts = 0;
        string? firstFailure = null;
        Parallel.For(
            short.MinValue,
            short.MaxValue + 1,
            () => 0L,
            (constant, _, count) =>
            {
                ShiftAddMultiplier.Recode(constant, out uint plus, out uint minus);
                int digits = ShiftAddMultiplier.Steps(plus, minus);
                for (int x = -128; x < 256; x++)
                {
                    // x in -128..255 covers both the unsigned (0..255) and the signed (-128..127) 8-bit range.
                    int product = ShiftAddMultiplier.Multiply(x, plus, minus, out int steps);
                    if (product != x * constant || steps != digits)
                    {
                        Interlocked.CompareExchange(ref firstFailure, $"{x} * {constant}: got {product} in {steps} steps, expected {x * constant} in {digits}", null);
                    }

                    count++;
                }

                return count;
            },
            count => Interlocked.Add(ref checkedProducts, count));

        Assert.Null(firstFailure);
        Assert.Equal(65536L * 384, checkedProducts);
    }

    [Fact]
    public void EverySigned16BitConstantIsCanonicalAndTakesAtMostEightSteps()
    {
        int worst = 0;
        for (int constant = short.MinValue; constant <= short.MaxValue; constant++)
        {
            ShiftAddMultiplier.Recode(constant, out uint plus, out uint minus);
            uint digits = plus | minus;
            Assert.True((plus & minus) == 0, $"{constant}: a digit is both +1 and -1");
            Assert.True((digits & (digits >> 1)) == 0, $"{constant}: adjacent nonzero digits (plus {plus:X}, minus {minus:X})");
            Assert.True(unchecked((int)(plus - minus)) == constant, $"{constant}: digits do not sum to the constant");
            Assert.True(digits >> 17 == 0, $"{constant}: uses digits above 16");
            int steps = ShiftAddMultiplier.Steps(constant);
            Assert.Equal(System.Numerics.BitOperations.PopCount(digits), steps);
            Assert.True(steps <= 8, $"{constant}: {steps} steps");
            worst = Math.Max(worst, steps);
        }

        Assert.Equal(8, worst); // the bound is reached (e.g. 0x5555)
    }

    [Fact]
    public void EveryBBitSignedConstantTakesAtMostCeilBOver2Steps()
    {
        for (int bits = 2; bits <= 16; bits++)
        {
            int bound = (bits + 1) / 2;
            int worst = 0;
            for (int constant = -(1 << (bits - 1)); constant < 1 << (bits - 1); constant++)
            {
                int steps = ShiftAddMultiplier.Steps(constant);
                Assert.True(steps <= bound, $"{bits}-bit constant {constant}: {steps} steps, bound {bound}");
                worst = Math.Max(worst, steps);
            }

            // CSD is optimal, and some B-bit constant needs ceil(B/2) digits: the bound is tight.
            Assert.Equal(bound, worst);
        }
    }

    [Theory]
    [InlineData(0, 0, 0u, 0u)]
    [InlineData(1, 1, 1u, 0u)]
    [InlineData(-1, 1, 0u, 1u)]
    [InlineData(3, 2, 4u, 1u)] // 4 - 1
    [InlineData(7, 2, 8u, 1u)] // 8 - 1
    [InlineData(5, 2, 5u, 0u)] // 4 + 1
    [InlineData(0x5555, 8, 0x5555u, 0u)]
    [InlineData(-32768, 1, 0u, 0x8000u)]
    [InlineData(32767, 2, 0x8000u, 1u)]
    public void RecodesKnownConstants(int constant, int steps, uint plus, uint minus)
    {
        ShiftAddMultiplier.Recode(constant, out uint p, out uint m);
        Assert.Equal(plus, p);
        Assert.Equal(minus, m);
        Assert.Equal(steps, ShiftAddMultiplier.Steps(constant));
    }

    [Fact]
    public void WideConstantsAndOperandsWrapLikeNativeMultiply()
    {
        var random = new Random(77);
        var constants = new List<int> { int.MaxValue, int.MinValue, int.MinValue + 1, int.MaxValue - 1, 0x55555555, unchecked((int)0xAAAAAAAA), 1 << 30, -(1 << 30) };
        var operands = new List<int> { 0, 1, -1, int.MaxValue, int.MinValue, 65535, -65536 };
        for (int i = 0; i < 300; i++)
        {
            constants.Add(random.Next(int.MinValue, int.MaxValue));
            operands.Add(random.Next(int.MinValue, int.MaxValue));
        }

        foreach (int c in constants)
        {
            ShiftAddMultiplier.Recode(c, out uint plus, out uint minus);
            uint digits = plus | minus;
            Assert.Equal(0u, digits & (digits >> 1));
            Assert.Equal(c, unchecked((int)(plus - minus)));
            foreach (int x in operands)
            {
                Assert.Equal(unchecked(x * c), ShiftAddMultiplier.Multiply(x, c, out int steps));
                Assert.Equal(ShiftAddMultiplier.Steps(plus, minus), steps);
            }
        }
    }
}
