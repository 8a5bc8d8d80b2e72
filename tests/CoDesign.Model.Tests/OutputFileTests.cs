using CoDesign.Model.Files;
using CoDesign.Model.Tests.Fuzzing;

namespace CoDesign.Model.Tests;

/// <summary>Output paths are checked before any work and written through a temporary file that never stays behind.</summary>
public sealed class OutputFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("codesign-output-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void AFolderIsNotAFileToWrite()
    {
        AssertRefused(() => OutputFile.Check(_folder, "--out"), $"--out {_folder}: is a folder; give the name of a file to write");
        AssertRefused(() => ModelFile.Write(TestModels.HandMade(), _folder), $"model file {_folder}: is a folder; give the name of a file to write");
    }

    [Fact]
    public void APathEndingInASlashNamesAFolder()
    {
        string path = Path.Combine(_folder, "new") + "/";
        AssertRefused(() => OutputFile.Check(path, "--out"), $"--out {path}: ends with /, so it names a folder; give the name of a file to write");
    }

    [Fact]
    public void AMissingFolderIsNamedAndNotCreated()
    {
        string path = Path.Combine(_folder, "x", "y", "fashion.cdsd");
        AssertRefused(() => OutputFile.Check(path, "--out"), $"--out {path}: {Path.Combine(_folder, "x", "y")} is not a folder that exists");
        Assert.False(Directory.Exists(Path.Combine(_folder, "x")));
    }

    [Fact]
    public void AFolderThatTakesNoNewFilesIsRefused()
    {
        // /proc refuses new files even to root, which these tests may run as.
        AssertRefused(() => OutputFile.Check("/proc/m.cdsm", "--out"), "--out /proc/m.cdsm: cannot create a file in /proc: the folder does not accept new files");
    }

    [Fact]
    public void TheCheckLeavesNothingBehind()
    {
        OutputFile.Check(Path.Combine(_folder, "m.cdsm"), "--out");
        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder));
    }

    [Fact]
    public void AWriteReplacesTheFileWhole()
    {
        string path = Path.Combine(_folder, "m.cdsm");
        File.WriteAllText(path, "old and longer contents");
        OutputFile.WriteAtomically(path, "model file", "new"u8.ToArray());
        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal([path], Directory.EnumerateFileSystemEntries(_folder));
    }

    [Fact]
    public void AFailedWriteKeepsTheOldFileAndLeavesNoTemporaryFile()
    {
        string path = Path.Combine(_folder, "m.cdsm");
        File.WriteAllText(path, "old");
        var failure = new InvalidOperationException("the serializer failed");
        Exception thrown = Assert.Throws<InvalidOperationException>(() => OutputFile.WriteAtomically(path, "model file", stream =>
        {
            stream.Write("half"u8);
            throw failure;
        }));
        Assert.Same(failure, thrown);
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal([path], Directory.EnumerateFileSystemEntries(_folder));
    }

    [Fact]
    public void ModelFilesAreWrittenThroughIt()
    {
        string path = Path.Combine(_folder, "m.cdsm");
        ModelFile.Write(TestModels.HandMade(), path);
        TestModels.AssertEqual(TestModels.HandMade().Repartition(1), ModelFile.Read(path));
        Assert.Equal([path], Directory.EnumerateFileSystemEntries(_folder));
    }

    private static void AssertRefused(Action write, string message)
    {
        ArgumentException error = Assert.Throws<ArgumentException>(write);
        Assert.Equal(message, error.Message);
        ErrorMessageRules.AssertFollowed(error.Message);
    }
}
