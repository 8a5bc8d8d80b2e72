namespace CoDesign.Cli.Tests;

public class CompileCommandTests
{
    [Fact]
    public void AModelIsWrittenAsTheWeightMemoryFileOfABoard()
    {
        string hex = Path.Combine(Path.GetDirectoryName(CodesignProcess.TempFile("x", ""))!, "weights.hex");

        (int exit, string output, string error) = CodesignProcess.Run("compile", "--board", "icebreaker", "--hex", hex, CodesignProcess.ShippedModel);

        Assert.True(exit == 0, error);
        string[] lines = File.ReadAllLines(hex);
        Assert.Contains($"{lines.Length:N0} of 131,072 bytes", output);
        Assert.All(lines, line => Assert.Matches("^[0-9a-f]{2}$", line));

        // The image starts with its header's magic, "CDSI".
        Assert.Equal(["43", "44", "53", "49"], lines[..4]);
    }

    [Fact]
    public void AModelLargerThanTheBoardsWeightMemoryIsRefusedWithTheSizes()
    {
        string hex = Path.Combine(Path.GetDirectoryName(CodesignProcess.TempFile("x", ""))!, "weights.hex");

        (int exit, _, string error) = CodesignProcess.Run("compile", "--board", "hx8k-breakout", "--hex", hex, CodesignProcess.ShippedModel);

        Assert.Equal(2, exit);
        Assert.Contains("has 8192 bytes of weight memory", error);
        Assert.Contains("cannot be baked into the iCE40-HX8K breakout", error);
        Assert.False(File.Exists(hex));
    }

    [Fact]
    public void InferringWithAResidentModelThatIsNotThereSaysSo()
    {
        (int exit, _, string error) = CodesignProcess.Run("infer", "--resident", "--count", "10");

        Assert.Equal(3, exit);
        Assert.Contains("at address 0", error);
        Assert.Contains("memory does not match this image", error);
    }
}
