using System.Diagnostics;
using CoDesign.Model;
using CoDesign.Model.Datasets;
using CoDesign.Runtime.Compile;
using CoDesign.Runtime.Deploy;
using CoDesign.Runtime.Devices;
using CoDesign.Runtime.Devices.Emulator;
using CoDesign.Runtime.Link;
using CoDesign.TestSupport;

namespace CoDesign.Runtime.Tests;

/// <summary>
/// Issue 10, item 9: the emulator behind a line that flips bits and drops bytes in both directions
/// classifies every image bit-exactly; the link shortens its frames on the noisy line and takes the
/// full size back once the line is clean.
/// </summary>
public class NoisyLinkTests
{
    [Fact]
    public void TheShippedModelClassifiesEveryImageBitExactlyThroughALineAtTheCiRate()
    {
        SparseModel model = ModelFile.Read(RepositoryFiles.ShippedModel);
        LabeledImages test = FashionMnist.LoadTest().Take(400);
        (LinkServer device, Stream hostEnd) = LinkServer.Start(new EmulatorEngine(DeviceProfile.EmulatorDefault));
        var line = new NoisyLine(hostEnd, bitErrorRate: 1e-5, dropRate: 1e-6, seed: 2026);
        using var session = DeviceSession.Open(line, "emulator", TimeSpan.FromSeconds(2));
        int max = session.Profile.MaxPayload;
        var clock = Stopwatch.StartNew();

        DeployedModel deployed = session.Deploy(ModelCompiler.Compile(model, session.Profile));
        int smallest = session.Link.PayloadSize;
        var outputs = new List<int>();
        for (int start = 0; start < test.Count; start += 20)
        {
            outputs.AddRange(session.Infer(deployed, test.Pixels.AsSpan(start * test.ImageSize, 20 * test.ImageSize), 20).Outputs);
            smallest = Math.Min(smallest, session.Link.PayloadSize);
        }

        var reference = new DenseIntegerReference(model);
        for (int i = 0; i < test.Count; i++)
        {
            Assert.Equal(reference.Forward(test.Image(i)), outputs.Skip(i * 10).Take(10).ToArray());
        }

        // The line did damage traffic, the link noticed and shortened its frames.
        Assert.True(line.BitsFlipped + line.BytesDropped > 10, $"{line.BitsFlipped} flips, {line.BytesDropped} drops");
        Assert.True(session.Link.FrameErrors + session.Link.CorruptedFrames + session.Link.Timeouts > 0);
        Assert.True(smallest < max, $"the frame size stayed at {smallest}");
        Assert.True(session.Link.ByteErrorRate > 0);

        // A clean line: the frames grow back to the device's limit.
        line.SetRates(0, 0);
        LabeledImages clean = FashionMnist.LoadTest().Take(1000);
        session.Infer(deployed, clean.Pixels, clean.Count);
        Assert.Equal(max, session.Link.PayloadSize);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        device.Dispose();
    }

    [Fact]
    public void AtTheFullRateEveryImageIsStillBitExactAndTheFramesAreShort()
    {
        SparseModel model = ModelFile.Read(RepositoryFiles.ShippedModel);
        LabeledImages test = FashionMnist.LoadTest().Take(60);
        (LinkServer device, Stream hostEnd) = LinkServer.Start(new EmulatorEngine(DeviceProfile.EmulatorDefault));
        var line = new NoisyLine(hostEnd, bitErrorRate: 1e-4, dropRate: 1e-5, seed: 7);
        using var session = DeviceSession.Open(line, "emulator", TimeSpan.FromSeconds(2));
        var clock = Stopwatch.StartNew();

        DeployedModel deployed = session.Deploy(ModelCompiler.Compile(model, session.Profile));
        int afterDeploy = session.Link.PayloadSize;
        InferenceResult result = session.Infer(deployed, test.Pixels, test.Count);

        var reference = new DenseIntegerReference(model);
        for (int i = 0; i < test.Count; i++)
        {
            Assert.Equal(reference.Forward(test.Image(i)), result.OutputsOf(i).ToArray());
        }

        // At about 8e-4 damaged bytes per byte the best payload is a few hundred bytes, not 4 KiB.
        Assert.InRange(afterDeploy, FrameSizePolicy.DefaultMinPayload, 1024);
        Assert.InRange(session.Link.ByteErrorRate, 2e-4, 3e-3);
        Assert.True(session.Link.FrameErrors + session.Link.CorruptedFrames > 20, $"{session.Link.FrameErrors} frame errors, {session.Link.CorruptedFrames} corrupted replies");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        device.Dispose();
    }
}
