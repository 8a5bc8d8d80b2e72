namespace CoDesign.Cli.Tests;

/// <summary>The error contract: bad usage is one line with a hint and exit code 2; output to a pipe is plain text.</summary>
public class UsageErrorTests
{
    [Theory]
    [InlineData("see codesign infer --help", "infer", "--frob")]
    [InlineData("as a whole number", "infer", "--count", "abc")]
    [InlineData("allowed: 1..10,000", "infer", "--count", "10001")]
    [InlineData("allowed: at least 1", "infer", "--count", "0")]
    [InlineData("allowed: 1..64", "spmv", "--matrix", "a", "--vector", "b", "--pes", "0")]
    [InlineData("allowed: 1..4,096", "train", "--hidden", "0")]
    [InlineData("at most 1", "compress", "--dense", "d", "--density", "0.1", "1.5")]
    [InlineData("--trace applies to verilator, verilator:<board>", "infer", "--count", "1", "--trace", "run.vcd")]
    [InlineData("see codesign --help", "frobnicate")]
    [InlineData("see codesign --help")]
    public void BadUsageIsOneLineWithAHintAndExitCode2(string expected, params string[] args)
    {
        (int exit, string output, string error) = CodesignProcess.Run(args);

        Assert.Equal(2, exit);
        Assert.Empty(output);
        string line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line);
        Assert.Contains(expected, line);
        Assert.DoesNotContain("System.", line);
    }

    [Fact]
    public void PipedOutputCarriesNoTerminalCodes()
    {
        (int exit, string output, string error) = CodesignProcess.RunPiped("infer", "--count", "20");

        Assert.True(exit == 0, error);
        Assert.Contains("bit-exact", output);
        Assert.DoesNotContain('\u001b', output + error);
    }
}
