using System.Diagnostics;
using CoDesign.Model;
using CoDesign.Model.Tests.Fuzzing;

namespace CoDesign.Compression.Tests;

/// <summary>Checkpoint paths that are not files to read or places to write are refused at once, with one clean line.</summary>
public sealed class DenseModelFilePathTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("codesign-cdsd-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void AFolderIsNotACheckpoint()
    {
        AssertRefused(_folder, "is a folder, not a checkpoint");
    }

    [Fact]
    public void DevZeroIsNotReadAtAll()
    {
        AssertRefused("/dev/zero", "holds no bytes, or is not a regular file (a device, a pipe or a socket); a checkpoint must be a regular file");
    }

    [Fact]
    public void AFileOverTheLimitIsRefusedBeforeReading()
    {
        string path = Path.Combine(_folder, "huge.cdsd");
        using (FileStream file = File.Create(path))
        {
            file.SetLength(DenseModelFile.MaxFileBytes + 1);
        }

        AssertRefused(path, $"is {DenseModelFile.MaxFileBytes + 1:N0} bytes, more than the 256 MiB a checkpoint may have");
    }

    [Fact]
    public void WritingIntoAMissingFolderSaysWhichFolder()
    {
        string path = Path.Combine(_folder, "missing", "dense.cdsd");
        var error = Assert.Throws<ArgumentException>(() => DenseModelFile.Write(TestData.RandomModel(1, 4, 2), path));
        Assert.Equal($"checkpoint {path}: {Path.Combine(_folder, "missing")} is not a folder that exists", error.Message);
        Assert.False(Directory.Exists(Path.Combine(_folder, "missing")));
    }

    private static void AssertRefused(string path, string problem)
    {
        var clock = Stopwatch.StartNew();
        var error = Assert.Throws<ModelFormatException>(() => DenseModelFile.Read(path));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"refused after {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal($"{path}: {problem}", error.Message);
        ErrorMessageRules.AssertFollowed(error.Message);
    }
}
