using System.Globalization;
using CoDesign.Kernels;

namespace CoDesign.Hardware.Tests.Compute;

/// <summary>hardware/rtl/generated/shift_add_multiplier_recode16.v (compiled from ShiftAddMultiplier.Recode16) recodes every 16-bit constant exactly as ShiftAddMultiplier.Recode does.</summary>
public class CsdRecoderRtlTests
{
    [Fact]
    public void EverySixteenBitConstantRecodesAsTheKernelDoes()
    {
        using var folder = new BenchFolder("csd");
        List<string> lines = ComputeBench.Only(ComputeBench.Run("shift_add_multiplier_recode16_tb", ["shift_add_multiplier_recode16.v"], folder), "R");

        Assert.Equal(65536, lines.Count);
        int maxDigits = 0;
        for (int i = 0; i < 65536; i++)
        {
            short constant = unchecked((short)(ushort)i);
            ShiftAddMultiplier.Recode(constant, out uint plus, out uint minus);
            Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"R {i:x4} {plus:x5} {minus:x5}"), lines[i]);
            maxDigits = Math.Max(maxDigits, ShiftAddMultiplier.Steps(plus, minus));
            // The PE feeds the multiplier 16 digits: digit 16 is never used by a 16-bit constant.
            Assert.Equal(0u, (plus | minus) >> 16);
        }

        Assert.Equal(8, maxDigits);
    }
}
