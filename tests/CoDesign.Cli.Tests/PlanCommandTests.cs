using CoDesign.Model;
using CoDesign.TestSupport;

namespace CoDesign.Cli.Tests;

/// <summary><c>codesign plan</c>, and <c>infer</c> running by a plan when the model does not fit.</summary>
public class PlanCommandTests
{
    [Fact]
    public void PlanPrintsTheIlpBesideGreedyAndWritesThePlot()
    {
        string png = PngPath();

        (int exit, string output, string error) = CodesignProcess.Run("plan", "-m", CodesignProcess.ShippedModel, "--device", "emulator:hx8k-breakout", "--batch", "2", "--plot", png);

        Assert.True(exit == 0, error);
        Assert.Contains("ILP (CP-SAT) (optimal)", output);
        Assert.Contains("carried out", output);
        Assert.Contains("ILP, whole schedule", output);
        Assert.Contains("greedy per step", output);
        Assert.Contains("LRU eviction", output);
        Assert.Contains("residency per step", output);
        Assert.Contains("resident", output);
        Assert.Contains("streamed", output);
        Assert.Contains("bytes per image", output);
        // The HX8K's 2 KiB of scratch holds one input's sums of the shipped model's first layer.
        Assert.Contains("batch 1 (asked 2", output);
        Assert.Contains(png, output);
        Assert.Equal((byte[])[0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(png)[..4]);
    }

    [Theory]
    [InlineData("nosuch=0.5", "mix names model 'nosuch'")]
    [InlineData("fashion-mnist-mlp=2", "not a number from 0 to 1")]
    public void ABadMixIsOneErrorLine(string mix, string expected)
    {
        (int exit, _, string error) = CodesignProcess.Run("plan", "--device", "emulator:hx8k-breakout", "--mix", mix, "--plot", PngPath());

        Assert.Equal(2, exit);
        Assert.StartsWith("error: ", error);
        Assert.Contains(expected, error);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Theory]
    [InlineData("nosuch=0.5", "mix names model 'nosuch'")]
    [InlineData("fashion-mnist-mlp=x", "not a number from 0 to 1")]
    public void InferRefusesABadMixInOneErrorLine(string mix, string expected)
    {
        (int exit, string output, string error) = CodesignProcess.Run("infer", "--device", "emulator:hx8k-breakout", "--mix", mix, "--count", "2");

        Assert.Equal(2, exit);
        Assert.StartsWith("error: ", error);
        Assert.Contains(expected, error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.DoesNotContain("device", output); // refused before the device was opened
    }

    [Fact]
    public void InferPlansTwoModelsUnderTheUsersMixBitExactly()
    {
        string small = CodesignProcess.TempFile("small.cdsm", "");
        ModelFile.Write(RandomSparseModel.Create(5, [784, 24, 10], 0.1, name: "small"), small);

        (int exit, string output, string error) = CodesignProcess.Run(
            "infer", "--device", "emulator:hx8k-breakout", "-m", CodesignProcess.ShippedModel, "-m", small, "--mix", "small=0.8", "--count", "12");

        Assert.True(exit == 0, error);
        Assert.Contains("memory plan", output);
        Assert.Contains("fashion-mnist-mlp=0.2, small=0.8", output);
        Assert.DoesNotContain("differ", output);
        Assert.Equal(2, output.Split("bit-exact").Length - 1);
    }

    [Fact]
    public void InferRunsTheShippedModelOnTheHx8kByAPlanAndSaysSo()
    {
        (int exit, string output, string error) = CodesignProcess.Run("infer", "--device", "emulator:hx8k-breakout", "--count", "30");

        Assert.True(exit == 0, error);
        Assert.Contains("memory plan", output);
        Assert.Contains("bit-exact", output);
    }

    [Fact]
    public void InferRunsTheShippedModelOnTheHx8kTopByAPlanAndSaysSo()
    {
        // The exact HX8K top keeps partial sums across column blocks (a device that does not is
        // refused: PlannedExecutionTests).
        (int exit, string output, string error) = CodesignProcess.Run("infer", "--device", "verilator:hx8k-breakout", "--count", "2");

        Assert.True(exit == 0, error);
        Assert.Contains("memory plan", output);
        Assert.Contains("bit-exact", output);
    }

    [Fact]
    public void AModelWhoseHiddenLayerPassesTheScratchIsPlannedInRowBlocksAndRunsBitExactly()
    {
        // 784-512-10: one input's sums and activations of the 512-row layer (2,560 bytes) pass the 2 KiB
        // of scratch (both commands refused it before).
        string wide = CodesignProcess.TempFile("wide.cdsm", "");
        ModelFile.Write(RandomSparseModel.Create(6, [784, 512, 10], 0.1, name: "wide"), wide);

        (int exit, string output, string error) = CodesignProcess.Run("plan", "-m", wide, "--device", "emulator:hx8k-breakout", "--plot", PngPath());
        Assert.True(exit == 0, error);
        Assert.Contains("│ rows ", output);
        Assert.Contains("│ 170..340 ", output);   // the middle of three row blocks

        (exit, output, error) = CodesignProcess.Run("infer", "-m", wide, "--device", "emulator:hx8k-breakout", "--count", "3");
        Assert.True(exit == 0, error);
        Assert.Contains("wide L0 in row blocks", output);
        Assert.Contains("bit-exact", output);
    }

    // A path in a fresh temporary folder, with no file there yet.
    private static string PngPath() => Path.Combine(Path.GetDirectoryName(CodesignProcess.TempFile("x", ""))!, "memory.png");
}
