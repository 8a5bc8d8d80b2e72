namespace CoDesign.Hardware.Tests;

/// <summary>
/// <c>hardware/build-bitstream.sh --model</c> checks what it can before running any tool: the iCEBreaker
/// keeps its weights in SPRAM, which a bitstream cannot initialise, and a baked build never goes
/// where the committed bitstream lives.
/// </summary>
public class BakedBitstreamBuildTests
{
    [Fact]
    public void BakingAModelForTheIceBreakerIsRefusedSayingWhy()
    {
        string output = Path.Combine(Path.GetTempPath(), $"codesign-bake-{Guid.NewGuid():N}");

        (int exit, string message) = BuildBitstream("icebreaker", output, "--model", ShippedModelPath);

        Assert.Equal(2, exit);
        Assert.Contains("cannot bake a model into the icebreaker bitstream", message);
        Assert.Contains("SPRAM, which the bitstream cannot initialise", message);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void ABakedBuildNeedsAnOutputFolderSoTheCommittedBitstreamStays()
    {
        (int exit, string message) = BuildBitstream("hx8k-breakout", "--model", ShippedModelPath);

        Assert.Equal(2, exit);
        Assert.Contains("--model needs an output folder", message);
    }

    [Fact]
    public void AMissingModelFileIsNamed()
    {
        (int exit, string message) = BuildBitstream("hx8k-breakout", Path.GetTempPath(), "--model", "/nonexistent/model.cdsm");

        Assert.Equal(2, exit);
        Assert.Contains("'/nonexistent/model.cdsm' does not exist", message);
    }

    private static (int ExitCode, string Output) BuildBitstream(params string[] arguments) =>
        ExternalTool.Run("bash", [Path.Combine(HardwareSources.Root, "build-bitstream.sh"), .. arguments], HardwareSources.Root, TimeSpan.FromSeconds(30));

    private static string ShippedModelPath => Path.Combine(HardwareSources.Root, "..", "host", "models", "fashion-mnist-mlp.cdsm");
}
