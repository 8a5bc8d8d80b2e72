using CoDesign.Model;
using CoDesign.Model.Datasets;
using CoDesign.Runtime.Compile;
using CoDesign.Runtime.Deploy;
using CoDesign.TestSupport;

namespace CoDesign.Hardware.Tests.Device;

/// <summary>
/// The RTL under Verilator behind a line that flips bits at 1e-4 and drops 1e-5 of the bytes, both
/// ways: the host's adaptive framing (split DMA writes, one-image Runs, short timeouts) needs nothing
/// new from the hardware, and every image still comes back bit-exact.
/// </summary>
public class RtlNoisyLineTests
{
    [Fact]
    public void TheRtlClassifiesEveryImageBitExactlyThroughALineAtTheFullRate()
    {
        SparseModel model = ModelFile.Read(Path.Combine(HardwareSources.Root, "..", "host", "models", "fashion-mnist-mlp.cdsm"));
        LabeledImages test = FashionMnist.LoadTest().Take(30);
        var line = new NoisyLine(VerilatorSimulation.Start(), bitErrorRate: 1e-4, dropRate: 1e-5, seed: 12);
        using DeviceSession session = DeviceSession.Open(line, "rtl-sim", TimeSpan.FromSeconds(5));

        DeployedModel deployed = session.Deploy(ModelCompiler.Compile(model, session.Profile));
        InferenceResult result = session.Infer(deployed, test.Pixels, test.Count);

        var reference = new DenseIntegerReference(model);
        for (int i = 0; i < test.Count; i++)
        {
            Assert.Equal(reference.Forward(test.Image(i)), result.OutputsOf(i).ToArray());
        }

        Assert.True(line.BitsFlipped > 10, $"{line.BitsFlipped} bits flipped");
        Assert.True(session.Link.FrameErrors > 0, "the RTL reported no damaged frame");
        Assert.True(session.Link.PayloadSize < session.Profile.MaxPayload, $"payload {session.Link.PayloadSize} of {session.Profile.MaxPayload}");
        Assert.Equal(1, session.RequestStatus().Models);
    }
}
