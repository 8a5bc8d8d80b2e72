using System.Globalization;
using CoDesign.Kernels;

namespace CoDesign.Hardware.Tests.Compute;

/// <summary>
/// hardware/rtl/generated/requantizer_requantize.v (compiled from Requantizer.Requantize) adds the
/// bias with wrap-around and then either passes the raw sum or applies ReLU, round-half-up shift and
/// saturation, exactly as Requantizer.AddBias and Requantizer.ReluShiftSaturate do, each result two
/// cycles after its input (the bench fails otherwise), with or without idle cycles between inputs.
/// </summary>
public class RequantizerRtlTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(30)]
    public void ResultsEqualTheKernelBitForBit(int gapPercent)
    {
        var random = new Random(11 + gapPercent);
        var cases = new List<(int Acc, int Bias, int Shift, bool Raw)>();

        // Around zero, the extremes and the wrap of the bias add.
        int[] special = [0, 1, -1, 2, -2, 255, 256, int.MaxValue, int.MinValue, int.MaxValue - 1, int.MinValue + 1];
        foreach (int acc in special)
        {
            foreach (int bias in special)
            {
                for (int shift = 0; shift < 32; shift += 3)
                {
                    cases.Add((acc, bias, shift, false));
                }

                cases.Add((acc, bias, 31, false));
                cases.Add((acc, bias, 0, true));
            }
        }

        // Rounding and saturation boundaries for every shift: k * 2^s + 2^(s-1) - 1 / + 0, near 254.5 and 255.5.
        for (int shift = 0; shift < 32; shift++)
        {
            long unit = 1L << shift;
            long half = shift > 0 ? 1L << (shift - 1) : 0;
            foreach (long k in new long[] { 0, 1, 2, 7, 127, 128, 253, 254, 255, 256, 1000 })
            {
                foreach (long delta in new long[] { -1, 0, 1 })
                {
                    long value = (k * unit) + half + delta;
                    if (value is > int.MinValue and <= int.MaxValue)
                    {
                        int bias = random.Next(-1000, 1000);
                        cases.Add((unchecked((int)(value - bias)), bias, shift, false));
                    }
                }
            }
        }

        for (int i = 0; i < 4000; i++)
        {
            int acc = random.Next(4) == 0 ? random.Next(-100000, 100000) : unchecked((int)(uint)random.NextInt64(0, 1L << 32));
            int bias = random.Next(2) == 0 ? random.Next(-5000, 5000) : unchecked((int)(uint)random.NextInt64(0, 1L << 32));
            cases.Add((acc, bias, random.Next(32), random.Next(5) == 0));
        }

        var vectors = new List<string>();
        var expected = new List<string>();
        for (int i = 0; i < cases.Count; i++)
        {
            (int acc, int bias, int shift, bool raw) = cases[i];
            UInt128 vector = ((UInt128)(raw ? 1u : 0u) << 69) | ((UInt128)(uint)shift << 64) | ((UInt128)(uint)acc << 32) | (uint)bias;
            vectors.Add(vector.ToString("x18", CultureInfo.InvariantCulture));

            int[] sum = [acc];
            Requantizer.AddBias(sum, [bias]);
            int result = raw ? sum[0] : Requantizer.ReluShiftSaturate(sum[0], shift);
            expected.Add(string.Create(CultureInfo.InvariantCulture, $"Q {i} {ComputeBench.Hex8(result)}"));
        }

        using var folder = new BenchFolder("requant");
        File.WriteAllText(Path.Combine(folder.Path, "rq_vectors.hex"), string.Join('\n', vectors) + "\n");
        List<string> lines = ComputeBench.Run("requantizer_requantize_tb", ["requantizer_requantize.v"], folder, new Dictionary<string, string>
        {
            ["COUNT"] = ComputeBench.Text(cases.Count),
            ["GAP_PERCENT"] = ComputeBench.Text(gapPercent),
            ["SEED"] = ComputeBench.Text(gapPercent + 1),
        });

        Assert.DoesNotContain(lines, l => l.StartsWith("FAIL", StringComparison.Ordinal));
        Assert.Equal(expected, ComputeBench.Only(lines, "Q"));
    }
}
