using System.Diagnostics;
using System.Globalization;
using CoDesign.Hardware.Tests.Compute;
using CoDesign.Hardware.Tests.Link;
using CoDesign.Model;
using CoDesign.Model.Datasets;
using CoDesign.Runtime;
using CoDesign.Runtime.Link;
using CoDesign.TestSupport;
using Xunit.Abstractions;

namespace CoDesign.Hardware.Tests.Device;

/// <summary>
/// hardware/rtl/command_controller.v with the weight memory and the layer engine around it
/// (hardware/tb/command_controller_tb.v plays the frame receiver, the buffers and the frame
/// transmitter): a whole session of requests, as <see cref="RequestScript.Session"/> builds it,
/// gets the replies the emulator gives to the same frames, byte for byte but for a Run's cycle
/// count and an error's text. A build without the engine refuses every Run and otherwise agrees.
/// </summary>
public class CommandControllerRtlTests(ITestOutputHelper output)
{
    private static readonly string[] ControllerRtl = ["command_controller.v", "dsp_counter.v", "model_table.v", "crc32_update_byte.v", "weight_memory.v"];
    private static readonly string[] EngineRtl = LayerEngineRtlTests.EngineRtl;

    [Theory]
    [InlineData(true, 17, 1, "rtl-sim")]
    [InlineData(false, 15, 2, "hx8k-breakout")]      // a smaller memory: the range checks at another edge; a board's name in Hello
    [InlineData(true, 17, 3, "icebreaker")]
    public void ARandomModelsSessionGetsTheEmulatorsReplies(bool hasEngine, int memBits, int seed, string name)
    {
        // Six outputs: a batch of 41 fills a reply to exactly the largest payload (40 + 41 x 24 bytes).
        SparseModel model = RandomSparseModel.Create(20 + seed, [24, 12, 6], 0.5, 4);
        var random = new Random(seed);
        byte[][] batch = [.. Enumerable.Range(0, 3).Select(_ => LayerEngineRtlTests.RandomInput(random, model.InputSize, 0.3))];
        byte[][] later = [LayerEngineRtlTests.RandomInput(random, model.InputSize, 0.5)];
        DeviceProfile profile = RequestScript.RtlProfile(memBits) with { Name = name };

        RunSession(RequestScript.Session(model, profile, 0x0840, batch, later, seed), profile, hasEngine, memBits, $"cc-random{seed}");
    }

    /// <summary>
    /// The shipped model: a 38 KB image in many chunks, checked by one CRC pass, and a Fashion-MNIST
    /// image that nearly fills a request. One Run only: the sequential engine takes about 120,000
    /// cycles per image, seconds under Icarus.
    /// </summary>
    [Fact]
    public void TheShippedModelClassifiesAFashionMnistImageAsTheEmulatorDoes()
    {
        SparseModel model = ModelFile.Read(Path.Combine(HardwareSources.Root, "..", "host", "models", "fashion-mnist-mlp.cdsm"));
        LabeledImages test = FashionMnist.LoadTest();
        DeviceProfile profile = RequestScript.RtlProfile(17);

        RunSession(RequestScript.Deployment(model, profile, 0x0100, [test.Image(0).ToArray()], 3), profile, true, 17, "cc-shipped");
    }

    private void RunSession(RequestScript script, DeviceProfile profile, bool hasEngine, int memBits, string name)
    {
        (List<Frame> emulated, int models) = script.Emulate(profile);
        List<RequestScript.Event> events = script.Events();
        var random = new Random(events.Count);

        using var folder = new BenchFolder(name);
        var lines = new List<string>();
        var payloads = new List<ulong>();
        foreach (RequestScript.Event e in events)
        {
            int kind = e.Kind switch { RequestScript.EventKind.Frame => 0, RequestScript.EventKind.Damaged => 1, _ => 2 };
            byte[] payload = e.Kind == RequestScript.EventKind.Frame ? e.Frame.Payload : [];
            FrameType type = e.Frame.Type;
            bool malformed = false;
            if ((type & FrameType.Compressed) != 0)
            {
                // The bench plays frame_receiver and zero_run_decoder: the controller gets the expansion.
                type &= ~FrameType.Compressed;
                malformed = !ZeroRunCodec.TryDecode(payload, RequestScript.MaxPayload, out byte[] expanded, out _);
                payload = malformed ? [] : expanded;
            }

            int flags = kind | (e.Early ? 0x10 : 0) | (malformed ? 0x20 : 0);
            int gap = e.Early ? 0 : random.Next(4) == 0 ? random.Next(1, 40) : 0;
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{flags:x2}{(byte)type:x2}{e.Frame.Sequence:x2}{payload.Length:x4}{gap:x2}"));
            payloads.AddRange(payload.Select(b => (ulong)b));
        }

        File.WriteAllLines(Path.Combine(folder.Path, "cc_events.hex"), lines);
        ComputeBench.WriteHex(folder, "cc_payloads.hex", payloads, 2);
        var rtl = ControllerRtl.Concat(hasEngine ? EngineRtl : []).Distinct().ToList();
        var stopwatch = Stopwatch.StartNew();
        List<string> printed = folder.Run("command_controller_tb", rtl, new Dictionary<string, string>
        {
            ["HAS_ENGINE"] = hasEngine ? "1" : "0",
            ["MEM_BITS"] = RequestScript.Text(memBits),
            ["EVENTS"] = RequestScript.Text(events.Count),
            ["PAYLOAD_BYTES"] = RequestScript.Text(Math.Max(1, payloads.Count)),
            ["SEED"] = RequestScript.Text(events.Count),
            ["NAME"] = $"\"{profile.Name}\"",
        });

        // REPLY <n> <type> <seq> <len> <payload>
        var replies = new List<Frame>();
        foreach (string[] f in LinkBench.Only(printed, "REPLY").Select(l => l.Split(' ')))
        {
            Assert.Equal(replies.Count, int.Parse(f[1], CultureInfo.InvariantCulture));
            byte[] payload = LinkBench.ParseHex(f[5]);
            Assert.Equal(int.Parse(f[4], CultureInfo.InvariantCulture), payload.Length);
            replies.Add(new Frame((FrameType)Convert.ToByte(f[2], 16), Convert.ToByte(f[3], 16), payload));
        }

        script.AssertSameReplies(emulated, replies, hasEngine);
        long engineCycles = replies.Where(r => r.IsReplyTo(FrameType.Run)).Sum(r => BitConverter.ToInt64(r.Payload, 8));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {events.Count} events, {engineCycles} engine cycles, in {stopwatch.Elapsed.TotalSeconds:F1} s of Icarus"));
        Assert.Equal([$"MODELS {models}"], LinkBench.Only(printed, "MODELS"));
    }
}
