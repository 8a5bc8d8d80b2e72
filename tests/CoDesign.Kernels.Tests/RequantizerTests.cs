namespace CoDesign.Kernels.Tests;

/// <summary>Bias, ReLU, rounding shift and saturation, against a plain formula in 64-bit arithmetic.</summary>
public sealed class RequantizerTests
{
    [Theory]
    [InlineData(0, 0, 0)]
    [InlineData(-1, 0, 0)]
    [InlineData(-5, 3, 0)]
    [InlineData(int.MinValue, 31, 0)]
    [InlineData(1, 0, 1)]
    [InlineData(254, 0, 254)]
    [InlineData(255, 0, 255)]
    [InlineData(256, 0, 255)]
    [InlineData(int.MaxValue, 0, 255)]
    [InlineData(1, 1, 1)] // 0.5 rounds up
    [InlineData(3, 1, 2)] // 1.5 rounds up
    [InlineData(5, 1, 3)] // 2.5 rounds up (half up, not to even)
    [InlineData(1, 2, 0)] // 0.25
    [InlineData(2, 2, 1)] // 0.5
    [InlineData(509, 1, 255)] // 254.5 -> 255
    [InlineData(508, 1, 254)]
    [InlineData(511, 1, 255)] // 255.5 -> 256 -> saturates
    [InlineData(1 << 30, 31, 1)] // 0.5
    [InlineData((1 << 30) - 1, 31, 0)] // just under 0.5
    [InlineData(int.MaxValue, 31, 1)] // just under 1.0
    [InlineData(int.MaxValue, 23, 255)] // 255.99... -> 256 -> saturates
    [InlineData(255 << 23, 23, 255)]
    [InlineData((255 << 23) - (1 << 22) - 1, 23, 254)]
    public void HandComputedCases(int value, int shift, int expected)
    {
        Assert.Equal(expected, Requantizer.ReluShiftSaturate(value, shift));
        Assert.Equal(expected, Reference(value, shift));
    }

    [Fact]
    public void MatchesTheFormulaForEveryShiftOnRandomAndEdgeValues()
    {
        var random = new Random(31);
        var values = new List<int> { 0, 1, -1, int.MaxValue, int.MinValue, int.MaxValue - 1, int.MinValue + 1 };
        for (int s = 0; s < 32; s++)
        {
            long half = s > 0 ? 1L << (s - 1) : 0;
            foreach (long v in new[] { half - 1, half, half + 1, (255L << s) - 1, 255L << s, (255L << s) + half - 1, (255L << s) + half, 256L << s })
            {
                if (v is >= int.MinValue and <= int.MaxValue)
                {
                    values.Add((int)v);
                }
            }
        }

        for (int i = 0; i < 2000; i++)
        {
            values.Add(random.Next(int.MinValue, int.MaxValue));
            values.Add(random.Next(-70000, 70000));
        }

        for (int shift = 0; shift < 32; shift++)
        {
            foreach (int v in values)
            {
                Assert.True(Reference(v, shift) == Requantizer.ReluShiftSaturate(v, shift), $"value {v}, shift {shift}");
            }
        }
    }

    [Fact]
    public void SpanFormMatchesScalarForm()
    {
        var random = new Random(4);
        var acc = new int[500];
        for (int i = 0; i < acc.Length; i++)
        {
            acc[i] = random.Next(-100000, 1000000);
        }

        foreach (int shift in new[] { 0, 1, 7, 12, 31 })
        {
            var output = new byte[acc.Length];
            Requantizer.ReluShiftSaturate(acc, shift, output);
            for (int i = 0; i < acc.Length; i++)
            {
                Assert.Equal(Reference(acc[i], shift), output[i]);
            }
        }
    }

    [Fact]
    public void AddBiasWrapsModulo2To32()
    {
        int[] acc = [int.MaxValue, int.MinValue, 5, -7, 0, 123456789];
        int[] bias = [1, -1, -5, 7, int.MinValue, 987654321];
        int[] original = (int[])acc.Clone();
        Requantizer.AddBias(acc, bias);
        for (int i = 0; i < acc.Length; i++)
        {
            long exact = (long)original[i] + bias[i];
            Assert.Equal(unchecked((int)exact), acc[i]);
        }

        Assert.Equal(int.MinValue, acc[0]);
        Assert.Equal(int.MaxValue, acc[1]);
        Assert.Equal(0, acc[2]);
    }

    /// <summary>max(0, v), divided by 2^shift rounding halves up, clamped to 255; exact integer arithmetic.</summary>
    private static int Reference(long value, int shift)
    {
        if (value <= 0)
        {
            return 0;
        }

        long divisor = 1L << shift;
        long quotient = value / divisor;
        long remainder = value % divisor;
        if (2 * remainder >= divisor && shift > 0)
        {
            quotient++;
        }

        return (int)Math.Min(quotient, 255);
    }
}
