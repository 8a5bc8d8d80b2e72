using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using CoDesign.Hardware.Tests.Compute;
using CoDesign.Hardware.Tests.Link;
using CoDesign.Model;
using CoDesign.Runtime;
using CoDesign.Runtime.Compile;
using CoDesign.Runtime.Link;
using CoDesign.TestSupport;
using Xunit.Abstractions;

namespace CoDesign.Hardware.Tests.Device;

/// <summary>
/// hardware/rtl/accelerator_top.v through its pins under Icarus (hardware/tb/accelerator_top_tb.v):
/// the wire bytes of a whole session (<see cref="RequestScript.Session"/>) shifted into uart_rx
/// give on uart_tx exactly the wire bytes the emulator sends for them, but for a Run's cycle
/// count and an error's text (and the CRCs over those).
/// </summary>
public class AcceleratorTopRtlTests(ITestOutputHelper output)
{
    private static readonly string[] TopRtl =
    [
        "accelerator_top.v", "uart_rx.v", "uart_tx.v", "frame_receiver.v", "zero_run_decoder.v", "frame_transmitter.v", "crc32_update_byte.v",
        "command_controller.v", "model_table.v", "weight_memory.v", .. LayerEngineRtlTests.EngineRtl,
    ];

    /// <summary>Clocks per UART bit: the Verilated simulation's, the fastest the UARTs are built for.</summary>
    private const int ClocksPerBit = VerilatorSimulation.SimulatedClocksPerBit;

    [Fact]
    public void ASessionOverTheUartPinsGetsTheEmulatorsWireBytes()
    {
        const int memBits = 17;
        // Six outputs: a batch of 41 fills a reply to exactly the largest payload (40 + 41 x 24 bytes).
        SparseModel model = RandomSparseModel.Create(31, [20, 10, 6], 0.5, 4);
        var random = new Random(4);
        byte[][] batch = [.. Enumerable.Range(0, 2).Select(_ => LayerEngineRtlTests.RandomInput(random, model.InputSize, 0.3))];
        byte[][] later = [LayerEngineRtlTests.RandomInput(random, model.InputSize, 0.5)];
        DeviceProfile profile = RequestScript.RtlProfile(memBits);
        RequestScript script = RequestScript.Session(model, profile, 0x1_0000, batch, later, 4);
        (List<Frame> emulated, int models) = script.Emulate(profile);

        (List<Frame> replies, byte[] heard, List<string> printed) = RunOnTheTop(script, memBits, random, "accelerator-top");
        List<Frame> expected = script.AssertSameReplies(emulated, replies, hasEngine: true);

        // Nothing but those frames on the line: flags, stuffing and CRCs as FrameCodec puts them.
        Assert.Equal(LinkBench.Hex([.. expected.SelectMany(FrameCodec.Encode)]), LinkBench.Hex(heard));
        Assert.Equal([$"MODELS {models}"], LinkBench.Only(printed, "MODELS"));
    }

    /// <summary>
    /// A Run reads each input from the receive buffer when its turn comes, long after its frame
    /// arrived. A frame that comes in meanwhile must not overwrite the inputs still waiting: the top
    /// keeps its bytes out of the buffer. Such a frame from a host that waits for replies is the
    /// Run's own resend after a timeout, which gets the cached reply after the Run, as from the
    /// emulator; anything else is dropped, as if the line had lost it. Without the guard, the later
    /// images of the batch read the new frame's bytes.
    /// </summary>
    [Fact]
    public void AFrameThatArrivesDuringARunDoesNotChangeTheInputsItHasNotRead()
    {
        const int memBits = 17;
        const int modelAt = 0x1_0000;
        // Small inputs and much work each: a following frame's bytes arrive faster than the engine
        // takes inputs, so without the guard they overwrite every input after the first (7 of the 8
        // outputs differed with a 300-byte frame).
        SparseModel model = RandomSparseModel.Create(8, [12, 96, 10], 0.6, 4);
        var random = new Random(8);
        byte[][] batch = [.. Enumerable.Range(0, 8).Select(_ => LayerEngineRtlTests.RandomInput(random, model.InputSize, 0.2))];
        DeviceProfile profile = RequestScript.RtlProfile(memBits);

        // Hello, the image, Commit, the Run and its resend, sent at once (not waiting for the reply),
        // Status; then the Run again and at once a Write of junk whose payload covers the Run's inputs
        // and is still arriving when the Run ends.
        RequestScript script = RequestScript.Deployment(model, profile, modelAt, batch, 8);
        RequestScript.Step resend = script.Steps[^2];
        script.Steps[^2] = resend with { Early = true };
        byte[] run = RunRequest.Encode(modelAt, batch.Length, [.. batch.SelectMany(x => x)]);
        script.Request(FrameType.Run, run);
        var junk = new byte[1000];
        random.NextBytes(junk);
        byte[] write = WriteRequest.Encode(new DmaDescriptor(0x1_8000, junk.Length, 8, false, BlockKind.Slices), 0, junk);
        byte[] wire = FrameCodec.Encode(new Frame(FrameType.Write, 200, write));
        script.Steps.Add(new RequestScript.Step(wire, true, false));

        (List<Frame> replies, byte[] heard, _) = RunOnTheTop(script, memBits, random, "frame-during-run");

        // What the RTL must answer: the emulator's replies to the session without the junk (nothing
        // written, no reply to it), which answers the resend from its cache after the Run.
        script.Steps.RemoveAt(script.Steps.Count - 1);
        (List<Frame> emulated, _) = script.Emulate(profile);

        // The last Run's outputs first: without the guard, this is where the later inputs show.
        Frame last = replies.Last(f => f.IsReplyTo(FrameType.Run));
        Assert.Equal(
            LinkBench.Hex(emulated.Last(f => f.IsReplyTo(FrameType.Run)).Payload.AsSpan(RunReply.HeaderSize)),
            LinkBench.Hex(last.Payload.AsSpan(RunReply.HeaderSize)));
        List<Frame> expected = script.AssertSameReplies(emulated, replies, hasEngine: true);
        Assert.Equal(LinkBench.Hex([.. expected.SelectMany(FrameCodec.Encode)]), LinkBench.Hex(heard));

        // The junk outlasts the Run (its last bytes land after the engine stops), which must not let
        // it through either: its wire time exceeds the Run's cycles, counted from the Run's reply.
        long runCycles = BinaryPrimitives.ReadInt64LittleEndian(last.Payload.AsSpan(8));
        long frameCycles = (long)wire.Length * 10 * ClocksPerBit;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"the Run took {runCycles} cycles, the frame after it {frameCycles} on the wire"));
        Assert.True(runCycles < frameCycles, $"the Run ({runCycles} cycles) ended after the frame ({frameCycles}) arrived");
    }

    /// <summary>
    /// A frame that waits for the transmitter (it came while a long reply goes out) keeps its payload
    /// until the controller takes it: a damaged frame right behind it writes nothing into the receive
    /// buffer. The waiting frame is a Write of the image's last chunk; the Commit after it checks the
    /// image in memory. Without the guard, the damaged frame's bytes replaced the Write's payload.
    /// </summary>
    [Fact]
    public void AFrameThatWaitsForTheTransmitterKeepsItsPayload()
    {
        // The Write waits, and at once a damaged frame arrives.
        Waiting waiting = WhileTheCachedReplyGoesOut(9);
        var junk = new byte[200];
        waiting.Random.NextBytes(junk);
        byte[] damaged = FrameCodec.Encode(new Frame(FrameType.Write, 201, WriteRequest.Encode(new DmaDescriptor(0x1_8000, junk.Length, 8, false, BlockKind.Slices), 0, junk)));
        int at = damaged.Length / 2;
        while (damaged[at] is FrameCodec.Flag or FrameCodec.Escape || (damaged[at] ^ 1) is FrameCodec.Flag or FrameCodec.Escape)
        {
            at++;
        }

        damaged[at] ^= 1;
        var behind = new RequestScript.Step(damaged, true, false);
        RequestScript script = waiting.Then(behind);

        (List<Frame> replies, byte[] heard, _) = RunOnTheTop(script, Waiting.MemBits, waiting.Random, "frame-waits");

        // The RTL answers the damaged frame first (a frame error goes out before a waiting request),
        // the emulator in the order they came: it gets them the other way round.
        int rewriteStep = script.Steps.IndexOf(behind) - 1;
        (script.Steps[rewriteStep], script.Steps[rewriteStep + 1]) = (script.Steps[rewriteStep + 1], script.Steps[rewriteStep]);
        (List<Frame> emulated, _) = script.Emulate(waiting.Profile);
        List<Frame> expected = script.AssertSameReplies(emulated, replies, hasEngine: true);
        Assert.Equal(LinkBench.Hex([.. expected.SelectMany(FrameCodec.Encode)]), LinkBench.Hex(heard));
        Assert.Contains(replies, f => f.Sequence == waiting.Rewrite && f.IsReplyTo(FrameType.Write));
    }

    /// <summary>
    /// A valid frame that arrives while another waits for the transmitter is dropped, as if lost on the
    /// line (the host sends it again), and the waiting one keeps its place. A Status has no payload for
    /// the receive buffer to refuse: before the fix it took the waiting Write's place, and the Write went
    /// unanswered.
    /// </summary>
    [Fact]
    public void AFrameThatArrivesWhileAnotherWaitsIsDroppedNotTheOneWaiting()
    {
        Waiting waiting = WhileTheCachedReplyGoesOut(11);
        const byte dropped = 202;
        var behind = new RequestScript.Step(FrameCodec.Encode(new Frame(FrameType.Status, dropped, [])), true, false);
        RequestScript script = waiting.Then(behind);

        (List<Frame> replies, byte[] heard, _) = RunOnTheTop(script, Waiting.MemBits, waiting.Random, "frame-while-waiting");

        // The emulator answers the Status too; both count it as received in the last Status.
        (List<Frame> emulated, _) = script.Emulate(waiting.Profile);
        Assert.Single(emulated, f => f.IsReplyTo(FrameType.Status) && f.Sequence == dropped);
        emulated.RemoveAll(f => f.IsReplyTo(FrameType.Status) && f.Sequence == dropped);
        script.Steps.Remove(behind);
        List<Frame> expected = script.AssertSameReplies(emulated, replies, hasEngine: true);
        Assert.Equal(LinkBench.Hex([.. expected.SelectMany(FrameCodec.Encode)]), LinkBench.Hex(heard));
        Assert.Contains(replies, f => f.Sequence == waiting.Rewrite && f.IsReplyTo(FrameType.Write));
    }

    /// <summary>
    /// The deployment of a model at 0x1_0000 on the 2^17-byte top, a Run of 24 inputs (a reply of 1,000 bytes,
    /// 40,000 cycles on the wire) and its resend, answered from the cache; and while that reply goes out, the
    /// image's last chunk again as a new Write, which waits for the transmitter. Its closing Status is held back.
    /// </summary>
    private static Waiting WhileTheCachedReplyGoesOut(int seed)
    {
        SparseModel model = RandomSparseModel.Create(seed, [12, 96, 10], 0.6, 4);
        var random = new Random(seed);
        byte[][] batch = [.. Enumerable.Range(0, 24).Select(_ => LayerEngineRtlTests.RandomInput(random, model.InputSize, 0.2))];
        DeviceProfile profile = RequestScript.RtlProfile(Waiting.MemBits);
        RequestScript script = RequestScript.Deployment(model, profile, Waiting.ModelAt, batch, seed);
        Frame lastChunk = LinkBench.DecodeFrames(script.Steps[^5].Wire, RequestScript.MaxPayload).Single();
        Assert.Equal(FrameType.Write, lastChunk.Type);
        RequestScript.Step status = script.Steps[^1];
        script.Steps.RemoveAt(script.Steps.Count - 1);
        byte rewrite = script.Request(FrameType.Write, lastChunk.Payload, early: true);
        return new Waiting(script, model, batch, profile, random, rewrite, status);
    }

    private sealed record Waiting(RequestScript Script, SparseModel Model, byte[][] Batch, DeviceProfile Profile, Random Random, byte Rewrite, RequestScript.Step Status)
    {
        public const int MemBits = 17;
        public const int ModelAt = 0x1_0000;

        // The frame that arrives right behind the waiting Write; then Commit (it checks the image in memory),
        // the Run and Status. Both frames must arrive while the cached reply is still going out.
        public RequestScript Then(RequestScript.Step behind)
        {
            int waiting = Script.Steps[^1].Wire.Length + behind.Wire.Length;
            Script.Steps.Add(behind);
            DeviceImage image = ModelCompiler.Compile(Model, Profile);
            Script.Request(FrameType.Commit, CommitRequest.Encode(ModelAt, image.ImageBytes, image.Checksum));
            Script.Request(FrameType.Run, RunRequest.Encode(ModelAt, Batch.Length, [.. Batch.SelectMany(x => x)]));
            Script.Steps.Add(Status);
            int reply = FrameCodec.Encode(new Frame(FrameType.Run | FrameType.ReplyFlag, 0, new byte[RunReply.PayloadSize(Batch.Length, Model.OutputSize)])).Length;
            Assert.True(waiting < reply, $"{waiting} bytes do not arrive within a reply of {reply}");
            return Script;
        }
    }

    /// <summary>
    /// Replays <paramref name="script"/> on accelerator_top's pins: the host waits for each reply
    /// before its next request (unless the step says otherwise) and now and then pauses between bytes.
    /// Returns the frames heard, the bytes heard and the bench's lines.
    /// </summary>
    private (List<Frame> Replies, byte[] Heard, List<string> Printed) RunOnTheTop(RequestScript script, int memBits, Random random, string name)
    {
        var words = new List<ulong>();
        foreach (RequestScript.Step step in script.Steps)
        {
            if (step.SoftReset)
            {
                words.Add(2UL << 16);
                continue;
            }

            for (int i = 0; i < step.Wire.Length; i++)
            {
                ulong kind = i == 0 && !step.Early ? 1UL : 0UL;
                ulong gap = random.Next(16) == 0 ? (ulong)random.Next(1, 6) : 0UL;
                words.Add((kind << 16) | (gap << 8) | step.Wire[i]);
            }
        }

        using var folder = new BenchFolder(name);
        ComputeBench.WriteHex(folder, "at_wire.hex", words, 5);
        var stopwatch = Stopwatch.StartNew();
        List<string> printed = folder.Run("accelerator_top_tb", TopRtl, new Dictionary<string, string>
        {
            ["CLKS_PER_BIT"] = RequestScript.Text(ClocksPerBit),
            ["MEM_BITS"] = RequestScript.Text(memBits),
            ["WORDS"] = RequestScript.Text(words.Count),
            ["SEED"] = "4",
        });
        byte[] heard = [.. LinkBench.Only(printed, "OUT").Select(l => Convert.ToByte(l[4..], 16))];
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{words.Count} bytes sent, {heard.Length} heard, in {stopwatch.Elapsed.TotalSeconds:F1} s of Icarus"));
        return (LinkBench.DecodeFrames(heard, RequestScript.MaxPayload), heard, printed);
    }
}
