namespace CoDesign.Cli.Tests;

public class InferCommandTests
{
    [Fact]
    public void TheShippedModelClassifiesRealImagesBitExactOnTheEmulator()
    {
        (int exit, string output, string error) = CodesignProcess.Run("infer", "--count", "300");

        Assert.True(exit == 0, error);
        Assert.Contains("bit-exact", output);
        Assert.Contains("host bytes held: after deploy", output);
    }

    [Fact]
    public void TwoModelsRunSideBySideOnOneDevice()
    {
        string copy = Path.Combine(Path.GetDirectoryName(CodesignProcess.TempFile("x", ""))!, "second.cdsm");
        File.Copy(CodesignProcess.ShippedModel, copy);

        (int exit, string output, string error) = CodesignProcess.Run("infer", "--count", "200", "-m", CodesignProcess.ShippedModel, "-m", copy);

        Assert.True(exit == 0, error);
        Assert.Contains("2 model(s)", output);
    }

    [Fact]
    public void ATruncatedModelFileIsRefusedWithWhereItEnds()
    {
        byte[] model = File.ReadAllBytes(CodesignProcess.ShippedModel);
        string path = CodesignProcess.TempFile("cut.cdsm", "");
        File.WriteAllBytes(path, model[..(model.Length / 2)]);

        (int exit, _, string error) = CodesignProcess.Run("infer", "-m", path, "--count", "10");

        Assert.Equal(2, exit);
        Assert.Contains("cut.cdsm", error);
        Assert.Contains("truncated", error);
    }

    [Fact]
    public void ACorruptedModelFileIsRefusedByItsChecksum()
    {
        byte[] model = File.ReadAllBytes(CodesignProcess.ShippedModel);
        model[model.Length / 2] ^= 0x40;
        string path = CodesignProcess.TempFile("flip.cdsm", "");
        File.WriteAllBytes(path, model);

        (int exit, _, string error) = CodesignProcess.Run("infer", "-m", path, "--count", "10");

        Assert.Equal(2, exit);
        Assert.Contains("checksum mismatch", error);
    }

    [Fact]
    public void AMissingDatasetNamesTheDebianPackage()
    {
        (int exit, _, string error) = CodesignProcess.Run("infer", "--data", "/nonexistent-folder", "--count", "10");

        Assert.Equal(2, exit);
        Assert.Contains("dataset-fashion-mnist", error);
    }

    [Fact]
    public void InspectShowsDensityAndLoadBalance()
    {
        (int exit, string output, string error) = CodesignProcess.Run("inspect", CodesignProcess.ShippedModel, "--pes", "8");

        Assert.True(exit == 0, error);
        Assert.Contains("overall weight density", output);
        Assert.Contains("8 PEs", output);
    }
}
