using System.Diagnostics;
using System.Runtime.Versioning;

namespace CoDesign.Cli.Tests;

/// <summary>
/// <c>codesign serve</c>: a device behind a pseudo-terminal, reached by another codesign process through
/// <c>--device serial:PATH</c> exactly as a board is; and the paths it refuses.
/// </summary>
[SupportedOSPlatform("linux")]
public class ServeCommandTests
{
    [Fact]
    public async Task InferReachesTheServedEmulatorThroughTheLinkAndStoppingServeRemovesIt()
    {
        string folder = Directory.CreateTempSubdirectory("codesign-serve-").FullName;
        string tty = Path.Combine(folder, "tty");
        using Process serve = CodesignProcess.Start("serve", "--device", "emulator", "--tty", tty);
        Task<string> served = serve.StandardOutput.ReadToEndAsync();
        Task<string> errors = serve.StandardError.ReadToEndAsync();
        try
        {
            var clock = Stopwatch.StartNew();
            while (new FileInfo(tty).LinkTarget is null && !serve.HasExited && clock.Elapsed < TimeSpan.FromMinutes(1))
            {
                Thread.Sleep(50);
            }

            Assert.False(serve.HasExited, $"serve ended at once: {(serve.HasExited ? await errors : string.Empty)}");
            Assert.StartsWith("/dev/pts/", new FileInfo(tty).LinkTarget);

            (int exitCode, string output, string error) = CodesignProcess.Run("infer", "--device", $"serial:{tty}", "--count", "20");

            Assert.True(exitCode == 0, $"infer over serial:{tty} exited {exitCode}: {error}");
            Assert.Contains("0 retransmissions", output);
        }
        finally
        {
            using (Process kill = Process.Start("kill", ["-TERM", $"{serve.Id}"]))
            {
                kill.WaitForExit();
            }

            Assert.True(serve.WaitForExit(TimeSpan.FromSeconds(20)), "serve did not stop on SIGTERM");
        }

        string said = await served;
        Assert.Equal(string.Empty, await errors);
        Assert.Equal(0, serve.ExitCode);
        Assert.Contains($"serving the emulator on {tty}", said);
        Assert.Contains($"codesign infer --device serial:{tty}", said);
        Assert.False(File.Exists(tty) || new FileInfo(tty).LinkTarget is not null, "the link outlived serve");
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void AnExistingFileIsNeitherReplacedNorServed()
    {
        string file = CodesignProcess.TempFile("taken", "keep me");

        (int exitCode, string output, string error) = CodesignProcess.Run("serve", "--device", "emulator", "--tty", file);

        Assert.Equal(2, exitCode);
        Assert.Equal(string.Empty, output);
        Assert.Equal($"error: --tty '{file}' exists and is not a symbolic link; codesign serve creates a link there (choose a path that does not exist)", error.Trim());
        Assert.Equal("keep me", File.ReadAllText(file));
    }

    [Fact]
    public void ALinkToSomethingElseIsNotReplaced()
    {
        string target = CodesignProcess.TempFile("target", "x");
        string link = Path.Combine(Path.GetDirectoryName(target)!, "tty");
        File.CreateSymbolicLink(link, target);

        (int exitCode, _, string error) = CodesignProcess.Run("serve", "--device", "emulator", "--tty", link);

        Assert.Equal(2, exitCode);
        Assert.StartsWith($"error: --tty '{link}' is a symbolic link to '{target}', not to a pseudo-terminal", error.Trim());
        Assert.Equal(target, new FileInfo(link).LinkTarget);
    }

    [Theory]
    [InlineData("quantum", "--device", "unknown device 'quantum'")]
    [InlineData("emulator", "--tty", "folder")]
    public void BadInputIsOneErrorLineAndExitCode2(string device, string what, string detail)
    {
        string tty = what == "--tty" ? "/nonexistent-codesign-folder/tty" : Path.Combine(Path.GetTempPath(), $"codesign-serve-{Guid.NewGuid():N}");

        (int exitCode, string output, string error) = CodesignProcess.Run("serve", "--device", device, "--tty", tty);

        Assert.Equal(2, exitCode);
        Assert.Equal(string.Empty, output);
        string line = Assert.Single(error.Trim().Split('\n'));
        Assert.StartsWith("error: ", line);
        Assert.Contains(detail, line);
        Assert.False(File.Exists(tty));
    }
}
