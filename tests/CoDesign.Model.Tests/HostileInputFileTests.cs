using System.Diagnostics;
using CoDesign.Model.Datasets;
using CoDesign.Model.MatrixMarket;
using CoDesign.Model.Tests.Fuzzing;

namespace CoDesign.Model.Tests;

/// <summary>
/// The inputs that once made the readers run out of memory, hang or print a runtime message: each is
/// now refused by its reader's documented exception, within seconds, with one short line that names
/// the file and the limit.
/// </summary>
public sealed class HostileInputFileTests : IDisposable
{
    private static readonly TimeSpan Quickly = TimeSpan.FromSeconds(3);

    private readonly string _folder = Directory.CreateTempSubdirectory("codesign-hostile-").FullName;

    public static TheoryData<string> Readers => ["model file", "Matrix Market file", "vector file", "IDX file"];

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [MemberData(nameof(Readers))]
    public void AFolderIsRefused(string reader)
    {
        AssertRefused(reader, _folder, $"is a folder, not a {reader}");
    }

    [Theory]
    [MemberData(nameof(Readers))]
    public void DevZeroIsRefusedBeforeReading(string reader)
    {
        AssertRefused(reader, "/dev/zero", $"holds no bytes, or is not a regular file (a device, a pipe or a socket); a {reader} must be a regular file");
    }

    [Theory]
    [MemberData(nameof(Readers))]
    public async Task AFifoIsRefusedWithoutWaitingForAWriter(string reader)
    {
        string fifo = Path.Combine(_folder, "pipe");
        using (Process mkfifo = Process.Start("mkfifo", [fifo]))
        {
            mkfifo.WaitForExit();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        // Opening a FIFO for reading blocks until a writer comes: the reader must not open it at all.
        Task refused = Task.Run(() => AssertRefused(reader, fifo, $"holds no bytes, or is not a regular file (a device, a pipe or a socket); a {reader} must be a regular file"));
        Assert.True(await Task.WhenAny(refused, Task.Delay(TimeSpan.FromSeconds(10))) == refused, "the reader waits on the FIFO");
        await refused;
    }

    [Theory]
    [MemberData(nameof(Readers))]
    public void ASparse3GigabyteFileIsRefusedBeforeReading(string reader)
    {
        string path = SparseFile("huge", 3L << 30);
        AssertRefused(reader, path, $"is 3,221,225,472 bytes, more than the 256 MiB a {reader} may have");
    }

    [Theory]
    [MemberData(nameof(Readers))]
    public void TheSizeLimitIsTheDocumentedOne(string reader)
    {
        long limit = reader switch
        {
            "model file" => ModelFile.MaxFileBytes,
            "Matrix Market file" => MatrixMarketReader.MaxFileBytes,
            "vector file" => VectorFileReader.MaxFileBytes,
            _ => IdxReader.MaxFileBytes,
        };
        AssertRefused(reader, SparseFile("over", limit + 1), $"is {limit + 1:N0} bytes, more than the 256 MiB a {reader} may have");
    }

    [Fact]
    public void AMissingFileIsNamed()
    {
        AssertRefused("model file", Path.Combine(_folder, "absent.cdsm"), "no such file");
    }

    [Fact]
    public void A100MegabyteTokenIsRefusedAtTheLineBoundWithoutBeingHeldWhole()
    {
        string path = Path.Combine(_folder, "x.txt");
        using (var file = new StreamWriter(path))
        {
            file.Write("1\n2\n");
            var chunk = new string('9', 1 << 20);
            for (int i = 0; i < 100; i++)
            {
                file.Write(chunk);
            }
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        AssertRefused("vector file", path, "the line is longer than 1,048,576 characters", line: 3);
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 32L << 20);
    }

    [Fact]
    public void ALongBadTokenIsEchoedCut()
    {
        string token = new string('7', 500_000) + "x";
        var error = Assert.Throws<MatrixMarketFormatException>(() => VectorFileReader.Parse($"1\n{token}\n", "x.txt"));
        Assert.Equal("x.txt:2: \"77777777777777777777777777777777...\" (500,001 characters) (index 1) is not a finite number", error.Message);
        ErrorMessageRules.AssertFollowed(error.Message);
    }

    [Fact]
    public void AGzipBombIsStoppedAtTheDecompressedLimit()
    {
        // Gzip members concatenated decode as one stream: 17 members of 16 MiB of zeros make 272 MiB from 270 KB.
        byte[] member = IdxFuzzTests.Gzip(new byte[16 << 20]);
        string path = Path.Combine(_folder, "bomb-idx3-ubyte.gz");
        using (FileStream file = File.Create(path))
        {
            for (int i = 0; i < 17; i++)
            {
                file.Write(member);
            }
        }

        // Decompressing up to the limit is the reader's job, so this one may take longer on a busy machine (1 s alone here).
        AssertRefused("IDX file", path, "expands past 256 MiB when decompressed, more than an IDX file may hold", within: TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void CorruptGzipIsReportedInTheProjectsWords()
    {
        byte[] gzip = IdxFuzzTests.Gzip([0, 0, 8, 1, 0, 0, 0, 2, 7, 9]);
        gzip[10] ^= 0xFF;
        string path = Path.Combine(_folder, "broken.gz");
        File.WriteAllBytes(path, gzip);
        AssertRefused("IDX file", path, "the gzip data is corrupted");
    }

    private static void AssertRefused(string reader, string path, string problem, int line = 0, TimeSpan? within = null)
    {
        var clock = Stopwatch.StartNew();
        Exception error = reader switch
        {
            "model file" => Assert.Throws<ModelFormatException>(() => ModelFile.Read(path)),
            "Matrix Market file" => Assert.Throws<MatrixMarketFormatException>(() => MatrixMarketReader.Read(path)),
            "vector file" => Assert.Throws<MatrixMarketFormatException>(() => VectorFileReader.Read(path)),
            _ => Assert.Throws<InvalidDataException>(() => IdxReader.Read(path)),
        };
        Assert.True(clock.Elapsed < (within ?? Quickly), $"{reader} {path}: refused after {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal(line > 0 ? $"{path}:{line}: {problem}" : $"{path}: {problem}", error.Message);
        ErrorMessageRules.AssertFollowed(error.Message);
    }

    private string SparseFile(string name, long length)
    {
        string path = Path.Combine(_folder, name);
        using FileStream file = File.Create(path);
        // A file with no data blocks: as large as any other to the reader, free on disk.
        file.SetLength(length);
        return path;
    }
}
