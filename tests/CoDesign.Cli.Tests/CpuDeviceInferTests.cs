using System.Globalization;
using System.Text.RegularExpressions;

namespace CoDesign.Cli.Tests;

public partial class CpuDeviceInferTests
{
    [Fact]
    public void InferOnTheCpuDeviceIsBitExactAndTimesTheInferenceOnThisHost()
    {
        (int exit, string output, string error) = CodesignProcess.Run("infer", "--device", "cpu", "--count", "200");

        Assert.True(exit == 0, error);
        Assert.Contains("device cpu:", output);
        Assert.Contains("bit-exact", output);
        Assert.Contains("compute ns / image", output);
        Match rate = ImagesPerSecond().Match(output);
        Assert.True(rate.Success, output);
        Assert.True(double.Parse(rate.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture) > 0);
        // The emulator's clock-based rows do not apply to a device that times itself.
        Assert.DoesNotContain("compute-bound at clock", output);
    }

    [GeneratedRegex(@"([\d,]+) images/s on this host for the inference alone")]
    private static partial Regex ImagesPerSecond();
}
