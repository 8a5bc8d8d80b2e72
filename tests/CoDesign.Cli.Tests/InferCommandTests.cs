using CoDesign.Model;
using CoDesign.Model.Datasets;
using CoDesign.Runtime.Deploy;
using CoDesign.TestSupport;

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
    public void TheSimulatedRtlsCyclesAreReportedBesideTheCostModels()
    {
        (int exit, string output, string error) = CodesignProcess.Run("infer", "--device", "verilator", "--count", "12");

        Assert.True(exit == 0, error);
        Assert.Contains("bit-exact", output);
        // The simulated top carries the PE array of compiled PEs: its cycles are within 5 % of that cost model's,
        // above pe.v's array's (each compiled PE steps through every column) and far from the sequential engine's.
        double measured = Number(Cell(output, "device cycles / image"));
        Assert.InRange(measured / Number(Cell(output, "cost model, compiled PE array / image")), 0.95, 1.05);
        Assert.True(measured > 1.1 * Number(Cell(output, "cost model, PE array / image")));
        Assert.True(Number(Cell(output, "cost model, sequential engine / image")) > 5 * measured);
        Assert.DoesNotContain("cost model", CodesignProcess.Run("infer", "--count", "12").Out);
    }

    [Fact]
    public void InferShowsItsCompressionDecisionsAndNoCompressSendsEverythingRaw()
    {
        (int exit, string output, string error) = CodesignProcess.Run("infer", "--count", "100");
        (int rawExit, string raw, string rawError) = CodesignProcess.Run("infer", "--count", "100", "--no-compress");

        Assert.True(exit == 0, error);
        Assert.True(rawExit == 0, rawError);
        Assert.Contains("bit-exact", output);
        Assert.Contains("bit-exact", raw);
        Assert.Contains("Run: 20 of 20 requests compressed", output);
        Assert.Contains("compression: off (--no-compress)", raw);
        Assert.Contains("Run: 0 of 20 requests compressed", raw);
        Assert.InRange(Number(Cell(output, "link bytes / image")), 1, 600);
        Assert.InRange(Number(Cell(raw, "link bytes / image")), 800, 900);
        Assert.True(Number(Cell(output, "images/s, link-bound at baud")) >= 500);
    }

    [Fact]
    public void TwoModelsRunSideBySideOnOneDevice()
    {
        string copy = Path.Combine(Path.GetDirectoryName(CodesignProcess.TempFile("x", ""))!, "second.cdsm");
        File.Copy(CodesignProcess.ShippedModel, copy);

        (int exit, string output, string error) = CodesignProcess.Run("infer", "--count", "200", "-m", CodesignProcess.ShippedModel, "-m", copy);

        Assert.True(exit == 0, error);
        Assert.Contains("2 model(s)", output);
        // Each model's check sits in its own column of one row.
        string verdicts = output.Split('\n').Single(line => line.Contains("vs dense integer reference"));
        Assert.Equal(2, verdicts.Split("bit-exact").Length - 1);
    }

    [Fact]
    public void AMismatchIsCountedForTheModelWhoseOutputsDiffer()
    {
        SparseModel model = ModelFile.Read(CodesignProcess.ShippedModel);
        LabeledImages test = FashionMnist.LoadTest().Take(20);
        var reference = new DenseIntegerReference(model);
        int[] outputs = [.. Enumerable.Range(0, test.Count).SelectMany(i => reference.Forward(test.Image(i)))];
        int[] corrupted = [.. outputs];
        corrupted[(5 * model.OutputSize) + 3] ^= 1;
        InferenceResult Result(int[] values) => new(test.Count, model.OutputSize, values, 0, 0, 0, 0, 0);

        Assert.Equal([0, 1], InferCommand.CountMismatches([model, model], test, [Result(outputs), Result(corrupted)]));
        Assert.Equal([1, 0], InferCommand.CountMismatches([model, model], test, [Result(corrupted), Result(outputs)]));
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

    [Fact]
    public void InspectSizesAModelLargerThanTheEmulatorAndPointsToItsPlan()
    {
        string big = CodesignProcess.TempFile("big.cdsm", "");
        ModelFile.Write(RandomSparseModel.Create(7, [1024, 190, 10], 0.9, name: "big"), big);

        (int exit, string output, string error) = CodesignProcess.Run("inspect", big);

        Assert.True(exit == 0, error);
        Assert.Contains("more than the emulator's 131,072 bytes of weight memory", output);
        Assert.Contains("memory plan", output);
    }

    // The value in a row of the results table (one model: the last column).
    private static string Cell(string output, string label)
    {
        string line = output.Split('\n').Single(l => l.Contains(label, StringComparison.Ordinal));
        return line.Split('│', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
    }

    private static double Number(string cell) => double.Parse(cell.Replace(",", string.Empty, StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
}
