using System.Diagnostics;
using System.Runtime.Versioning;
using CoDesign.Model;
using CoDesign.Runtime.Compile;
using CoDesign.Runtime.Deploy;
using CoDesign.Runtime.Devices.Serial;
using CoDesign.TestSupport;

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
            await WaitForLink(serve, tty, errors);

            (int exitCode, string output, string error) = CodesignProcess.Run("infer", "--device", $"serial:{tty}", "--count", "20");

            Assert.True(exitCode == 0, $"infer over serial:{tty} exited {exitCode}: {error}");
            Assert.Contains("0 retransmissions", output);
        }
        finally
        {
            Stop(serve);
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
    public async Task ANoisyLineToTheServedDeviceLosesNothing()
    {
        // The host's side of the pseudo-terminal goes through a line that flips bits and drops bytes.
        string folder = Directory.CreateTempSubdirectory("codesign-serve-").FullName;
        string tty = Path.Combine(folder, "tty");
        using Process serve = CodesignProcess.Start("serve", "--device", "emulator", "--tty", tty);
        Task<string> errors = serve.StandardError.ReadToEndAsync();
        try
        {
            await WaitForLink(serve, tty, errors);
            // The rate: 1e-4 of the bits flipped, 1e-5 of the bytes dropped, both ways.
            using var line = new NoisyLine(SerialDevice.OpenPort(tty), bitErrorRate: 1e-4, dropRate: 1e-5, seed: 17);
            using DeviceSession session = DeviceSession.Open(line, $"serial:{tty}", TimeSpan.FromSeconds(5));
            SparseModel model = ModelFile.Read(CodesignProcess.ShippedModel);
            DeployedModel deployed = session.Deploy(ModelCompiler.Compile(model, session.Profile));
            var images = new byte[60 * model.InputSize];
            new Random(3).NextBytes(images);
            InferenceResult result = session.Infer(deployed, images, 60);

            var reference = new DenseIntegerReference(model);
            for (int i = 0; i < 60; i++)
            {
                Assert.True(reference.Forward(images.AsSpan(i * model.InputSize, model.InputSize)).AsSpan().SequenceEqual(result.OutputsOf(i)), $"image {i}");
            }

            // The line did damage frames, and the link shrank its frames below the device's limit.
            Assert.True(session.Link.Retransmissions > 0, "no frame was damaged");
            Assert.True(session.Link.PayloadSize < session.Profile.MaxPayload, $"payload {session.Link.PayloadSize}");
        }
        finally
        {
            Stop(serve);
            Directory.Delete(folder, recursive: true);
        }
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

    /// <summary>Waits until serve has made its link (or ended), then checks that it points at a pseudo-terminal.</summary>
    private static async Task WaitForLink(Process serve, string tty, Task<string> errors)
    {
        var clock = Stopwatch.StartNew();
        while (new FileInfo(tty).LinkTarget is null && !serve.HasExited && clock.Elapsed < TimeSpan.FromMinutes(1))
        {
            Thread.Sleep(50);
        }

        Assert.False(serve.HasExited, $"serve ended at once: {(serve.HasExited ? await errors : string.Empty)}");
        Assert.StartsWith("/dev/pts/", new FileInfo(tty).LinkTarget);
    }

    /// <summary>Stops serve as Ctrl-C would (SIGTERM) and waits for it.</summary>
    private static void Stop(Process serve)
    {
        using (Process kill = Process.Start("kill", ["-TERM", $"{serve.Id}"]))
        {
            kill.WaitForExit();
        }

        Assert.True(serve.WaitForExit(TimeSpan.FromSeconds(20)), "serve did not stop on SIGTERM");
    }
}
