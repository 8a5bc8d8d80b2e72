using System.Diagnostics;

namespace CoDesign.Cli.Tests;

/// <summary>
/// Paths a user can get wrong, as the program reports them: one <c>error:</c> line naming the path and
/// what is wrong, exit code 2, within seconds and before any long work (training, compression).
/// </summary>
public sealed class UserPathTests : IDisposable
{
    private const string Matrix = "%%MatrixMarket matrix coordinate integer general\n2 2 2\n1 1 3\n2 2 -1\n";

    private readonly string _folder = Directory.CreateTempSubdirectory("codesign-cli-paths-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void InspectingDevZeroIsRefusedAtOnce()
    {
        AssertBadInput(
            "/dev/zero: holds no bytes, or is not a regular file (a device, a pipe or a socket); a model file must be a regular file",
            "inspect", "/dev/zero");
    }

    [Fact]
    public void AVectorFromDevZeroIsRefusedAtOnce()
    {
        string matrix = Path.Combine(_folder, "a.mtx");
        File.WriteAllText(matrix, Matrix);
        AssertBadInput(
            "/dev/zero: holds no bytes, or is not a regular file (a device, a pipe or a socket); a vector file must be a regular file",
            "spmv", "--matrix", matrix, "--vector", "/dev/zero");
    }

    [Fact]
    public void AThreeGigabyteMatrixIsRefusedBeforeReading()
    {
        string matrix = Path.Combine(_folder, "huge.mtx");
        using (FileStream file = File.Create(matrix))
        {
            file.SetLength(3L << 30);
        }

        AssertBadInput($"{matrix}: is 3,221,225,472 bytes, more than the 256 MiB a Matrix Market file may have", "spmv", "--matrix", matrix, "--vector", matrix);
    }

    [Fact]
    public void CompilingToAFolderIsRefusedBeforeCompiling()
    {
        AssertBadInput($"--hex {_folder}: is a folder; give the name of a file to write", "compile", "--board", "icebreaker", "--hex", _folder, CodesignProcess.ShippedModel);
    }

    [Fact]
    public void TrainingIntoAFolderIsRefusedBeforeTraining()
    {
        AssertBadInput($"--out {_folder}: is a folder; give the name of a file to write", "train", "--out", _folder, "--data", _folder);
    }

    [Fact]
    public void TrainingIntoAMissingFolderNamesIt()
    {
        string path = Path.Combine(_folder, "x", "y", "fashion.cdsd");
        AssertBadInput($"--out {path}: {Path.Combine(_folder, "x", "y")} is not a folder that exists", "train", "--out", path, "--data", _folder);
        Assert.False(Directory.Exists(Path.Combine(_folder, "x")));
    }

    [Fact]
    public void CompressingIntoAFolderThatTakesNoFilesIsRefusedBeforeReadingTheCheckpoint()
    {
        AssertBadInput(
            "--out /proc/m.cdsm: cannot create a file in /proc: the folder does not accept new files",
            "compress", "--dense", Path.Combine(_folder, "absent.cdsd"), "--out", "/proc/m.cdsm");
    }

    private static void AssertBadInput(string message, params string[] args)
    {
        var clock = Stopwatch.StartNew();
        (int exit, _, string error) = CodesignProcess.Run(args);
        // Starting the program takes most of this; the check itself takes milliseconds.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"codesign {string.Join(' ', args)} took {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal($"error: {message}\n", error);
        Assert.Equal(2, exit);
    }
}
