using CoDesign.Model.Datasets;

namespace CoDesign.Cli.Tests;

/// <summary><c>codesign pack</c> end to end: the test set packed from its IDX files, then classified from the pack bit-exactly.</summary>
public class PackCommandTests
{
    [Fact]
    public void TheTestSetPackedFromIdxIsClassifiedFromThePack()
    {
        string folder = Path.GetDirectoryName(CodesignProcess.TempFile("x", ""))!;
        string pack = Path.Combine(folder, "t10k.cdsp");
        string images = Directory.GetFiles(FashionMnist.DefaultDirectory, "t10k-images-idx3-ubyte*").Order().First();

        (int exit, string output, string error) = CodesignProcess.Run("pack", images, "-o", pack, "--shard-records", "4000");

        Assert.True(exit == 0, error);
        Assert.Contains("10,000 records of 28 x 28", output);
        Assert.Contains("3 shard(s)", output);
        (exit, output, error) = CodesignProcess.Run("infer", "--data", pack, "--count", "300");
        Assert.True(exit == 0, error);
        Assert.Contains("bit-exact", output);
    }

    [Fact]
    public void AFolderOfIdxFilesIsRefusedWithTheFileToName()
    {
        string pack = Path.Combine(Path.GetDirectoryName(CodesignProcess.TempFile("x", ""))!, "none.cdsp");

        (int exit, _, string error) = CodesignProcess.Run("pack", FashionMnist.DefaultDirectory, "-o", pack);

        Assert.Equal(2, exit);
        Assert.StartsWith("error: ", error);
        Assert.Contains("name one images file", error);
        Assert.False(File.Exists(pack));
    }
}
