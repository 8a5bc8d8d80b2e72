using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using CoDesign.Hardware.Tests.Link;
using CoDesign.Kernels;
using CoDesign.Model;
using CoDesign.Runtime;
using CoDesign.Runtime.Compile;
using CoDesign.Runtime.Devices;
using CoDesign.Runtime.Devices.Emulator;
using CoDesign.Runtime.Link;

namespace CoDesign.Hardware.Tests.Device;

/// <summary>
/// What a host sends a device in one session, as wire bytes in order: requests encoded by
/// <see cref="FrameCodec"/>, damaged frames, garbage and presses of the soft-reset input. The
/// <see cref="LinkServer"/> answers it to give the expected replies; the command controller
/// and accelerator top benches replay it on the RTL.
/// </summary>
internal sealed class RequestScript
{
    /// <summary>The RTL's frame buffers: its largest payload.</summary>
    public const int MaxPayload = 1024;

    private readonly Random _random;
    private byte _sequence;

    public RequestScript(Random random) => _random = random;

    /// <summary>One thing the host does.</summary>
    /// <param name="Wire">The bytes it sends.</param>
    /// <param name="Early">It does not wait for the previous reply. Only after a request the device
    /// executes at once: the frame overwrites the receive buffer as it arrives.</param>
    /// <param name="SoftReset">A press of the reset input (no bytes).</param>
    public sealed record Step(byte[] Wire, bool Early, bool SoftReset);

    public enum EventKind
    {
        Frame,
        Damaged,
        SoftReset,
    }

    /// <summary>What reaches the controller: a frame the receiver accepted, a damaged one, or a reset press.</summary>
    public sealed record Event(EventKind Kind, Frame Frame, bool Early);

    public List<Step> Steps { get; } = [];

    /// <summary>
    /// The RTL's profile for a weight memory of 2^<paramref name="memBits"/> bytes (accelerator_top's defaults otherwise: 4 KiB of
    /// scratch, whole models only).
    /// </summary>
    public static DeviceProfile RtlProfile(int memBits) => VerilatorSimulation.Profile with { PersistentBytes = 1 << memBits, ScratchBytes = 4096, Features = EngineFeatures.None };

    /// <summary>A request with the next sequence number; returns that number.</summary>
    public byte Request(FrameType type, byte[] payload, bool early = false)
    {
        byte sequence = ++_sequence;
        Steps.Add(new Step(FrameCodec.Encode(new Frame(type, sequence, payload)), early, false));
        return sequence;
    }

    /// <summary>A request sent again with the sequence number it had, as after a lost reply or a frame error.</summary>
    public void Again(FrameType type, byte sequence, byte[] payload) =>
        Steps.Add(new Step(FrameCodec.Encode(new Frame(type, sequence, payload)), false, false));

    /// <summary>A request damaged on the way (one bit flipped between its flags); returns its sequence number for the resend.</summary>
    public byte Damaged(FrameType type, byte[] payload)
    {
        byte sequence = ++_sequence;
        var traffic = new LinkTraffic(_random);
        traffic.FlippedBit(new Frame(type, sequence, payload));
        AddPieces(traffic.Wire);
        return sequence;
    }

    /// <summary>Noise, flags and escapes among it, closed by a flag so that it ends before the next request.</summary>
    public void Garbage(int count)
    {
        var traffic = new LinkTraffic(_random);
        traffic.Garbage(count);
        traffic.Raw(FrameCodec.Flag);
        AddPieces(traffic.Wire);
    }

    /// <summary>
    /// Bytes that may hold several frames (a flipped bit can make a flag), as one step per flag:
    /// the host waits for the reply each piece may draw. The RTL keeps one damaged frame pending,
    /// so errors that arrive while it is still answering one draw a single frame-error reply,
    /// where the emulator answers each.
    /// </summary>
    private void AddPieces(IEnumerable<byte> wire)
    {
        var piece = new List<byte>();
        foreach (byte b in wire)
        {
            piece.Add(b);
            if (b == FrameCodec.Flag)
            {
                Steps.Add(new Step([.. piece], false, false));
                piece.Clear();
            }
        }

        Assert.Empty(piece);
    }

    public void SoftReset() => Steps.Add(new Step([], false, true));

    /// <summary>What the frame receiver (FrameDecoder's twin) hands the controller, step by step.</summary>
    public List<Event> Events()
    {
        var decoder = new FrameDecoder(MaxPayload);
        var events = new List<Event>();
        foreach (Step step in Steps)
        {
            if (step.SoftReset)
            {
                events.Add(new Event(EventKind.SoftReset, default, false));
                continue;
            }

            bool first = true;
            foreach (byte b in step.Wire)
            {
                DecodeResult result = decoder.Push(b);
                if (result != DecodeResult.Pending)
                {
                    events.Add(result == DecodeResult.Frame
                        ? new Event(EventKind.Frame, decoder.Frame, step.Early && first)
                        : new Event(EventKind.Damaged, default, step.Early && first));
                    first = false;
                }
            }
        }

        return events;
    }

    /// <summary>
    /// Plays the session to a fresh emulator with <paramref name="profile"/> through its own serve
    /// loop (so it counts damaged frames as the device does) and returns its reply frames and the
    /// models registered at the end.
    /// </summary>
    public (List<Frame> Replies, int Models) Emulate(DeviceProfile profile)
    {
        using var device = new LinkServer(new EmulatorEngine(profile));
        var wire = new ScriptedWire(this, device);
        device.Serve(wire);
        Assert.True(wire.Finished.Wait(TimeSpan.FromMinutes(1)), "the emulator did not finish the session");
        return (LinkBench.DecodeFrames(wire.Replies.ToArray()), wire.ModelsAtEnd);
    }

    /// <summary>
    /// A session around one model: garbage, Hello and Status, the image written chunk by chunk at
    /// <paramref name="modelAt"/> (one chunk damaged and resent, one retransmitted), a wrong then a
    /// right Commit, Runs of <paramref name="batch"/> (one retransmitted), a Run whose reply is exactly
    /// <see cref="MaxPayload"/> bytes (retransmitted too), requests the device must refuse for each of
    /// its checks (among them a Run of no inputs and one of an input more than fills a reply), Reset
    /// and a reset press with Status after each (a press clears the cached reply), Unload, and a Write
    /// over the committed image, which unregisters it.
    /// </summary>
    public static RequestScript Session(SparseModel model, DeviceProfile profile, int modelAt, IReadOnlyList<byte[]> batch, IReadOnlyList<byte[]> laterBatch, int seed)
    {
        var script = new RequestScript(new Random(seed));
        DeviceImage image = ModelCompiler.Compile(model, profile);
        int memoryBytes = profile.PersistentBytes;
        List<byte[]> writes = Writes(image, modelAt);
        Assert.True(writes.Count >= 2, "the session damages the last chunk and rewrites the first");
        byte[] commit = CommitRequest.Encode(modelAt, image.ImageBytes, image.Checksum);
        byte[] run = RunRequest.Encode(modelAt, batch.Count, [.. batch.SelectMany(x => x)]);
        byte[] laterRun = RunRequest.Encode(modelAt, laterBatch.Count, [.. laterBatch.SelectMany(x => x)]);
        Assert.True(run.Length <= MaxPayload && RunReply.PayloadSize(batch.Count, model.OutputSize) <= MaxPayload, "the batch must fit one frame each way");

        // The largest batch: its reply fills a frame to the last byte, which both devices must send.
        // The model's output size is chosen so that one exists and its request fits a frame too.
        int full = (MaxPayload - RunReply.HeaderSize) / (4 * model.OutputSize);
        Assert.True(RunReply.PayloadSize(full, model.OutputSize) == MaxPayload, $"no batch of {model.OutputSize} outputs each fills a {MaxPayload}-byte reply exactly");
        Assert.True(RunRequest.HeaderSize + (full * model.InputSize) <= MaxPayload, $"a batch of {full} inputs of {model.InputSize} bytes does not fit a request");
        byte[] fullRun = RunRequest.Encode(modelAt, full, [.. Enumerable.Range(0, full).SelectMany(i => batch[i % batch.Count])]);

        // One input more: the reply would not fit, which both refuse, when the request still fits.
        int tooMany = full + 1;
        byte[]? tooLarge = RunRequest.HeaderSize + (tooMany * model.InputSize) <= MaxPayload
            ? RunRequest.Encode(modelAt, tooMany, new byte[tooMany * model.InputSize])
            : null;

        script.Garbage(24);
        script.Request(FrameType.Hello, []);
        script.Request(FrameType.Status, []);
        script.Request(FrameType.Hello, [1, 2, 3], early: true);     // a payload Hello does not need is ignored

        foreach (byte[] write in writes.SkipLast(1))
        {
            script.Request(FrameType.Write, write);
        }

        byte last = script.Damaged(FrameType.Write, writes[^1]);
        script.Again(FrameType.Write, last, writes[^1]);
        script.Again(FrameType.Write, last, writes[^1]);                 // its reply was lost: answered, not executed again

        script.Request(FrameType.Commit, CommitRequest.Encode(modelAt, image.ImageBytes, image.Checksum ^ 0x100));
        script.Request(FrameType.Commit, commit);
        script.Request(FrameType.Status, []);
        byte ran = script.Request(FrameType.Run, run);
        script.Again(FrameType.Run, ran, run);                            // the same reply, cycle count included
        script.Request(FrameType.Status, [], early: true);
        byte ranFull = script.Request(FrameType.Run, fullRun);           // a reply of exactly MaxPayload bytes
        script.Again(FrameType.Run, ranFull, fullRun);                    // and from the cached reply

        // Refusals, one per check.
        script.Request(FrameType.Run, RunRequest.Encode(modelAt + 4, batch.Count, [.. batch.SelectMany(x => x)]));   // no model there
        script.Request(FrameType.Run, RunRequest.Encode(modelAt, 0, []));            // no inputs
        script.Request(FrameType.Run, RunRequest.Encode(modelAt + 4, 0, []));        // no inputs and no model: the model is checked first
        script.Request(FrameType.Run, run[..^1]);                         // one input byte short
        script.Request(FrameType.Run, [.. run, 0]);                       // one byte too many
        script.Request(FrameType.Run, run[..5]);                          // no complete header
        if (tooLarge is not null)
        {
            script.Request(FrameType.Run, tooLarge);
        }

        Write(script, memoryBytes - 8, 16, 8);                            // past the end of memory
        Write(script, memoryBytes + 4096, 4, 8);
        Write(script, unchecked((int)0x8000_0000), 4, 8);                 // beyond 32-bit signed addresses
        Write(script, memoryBytes - 62, 4, 8);                            // not word-aligned
        Write(script, memoryBytes - 64, 4, 0);                            // element widths 0 and 33
        Write(script, memoryBytes - 64, 4, 33);
        byte[] longer = WriteRequest.Encode(new DmaDescriptor(memoryBytes - 64, 5, 8, false, BlockKind.Slices), 0, new byte[4]);
        script.Request(FrameType.Write, longer);                          // describes more bytes than follow
        byte[] otherMemory = WriteRequest.Encode(new DmaDescriptor(memoryBytes - 64, 4, 8, false, BlockKind.Slices), 0, new byte[4]);
        otherMemory[8] = 1;
        script.Request(FrameType.Write, otherMemory);                     // not the persistent region
        script.Request(FrameType.Write, new byte[10]);                    // no complete descriptor
        script.Request(FrameType.Unload, Address(modelAt + 8));           // no model there
        script.Request(FrameType.Unload, [0, 0, 0]);
        script.Request((FrameType)0x09, [1, 2, 3, 4]);                    // unknown types
        script.Request((FrameType)0x00, []);
        script.Request(FrameType.Hello | FrameType.ReplyFlag, []);
        script.Request(FrameType.Commit, commit[..11]);
        script.Request(FrameType.Commit, CommitRequest.Encode(modelAt, 0, 0));   // nothing to check
        script.Request(FrameType.Commit, CommitRequest.Encode(memoryBytes - 16, 32, 0));

        // The last 32 bytes of memory: written exactly up to its end, but no model image.
        var junk = new byte[32];
        new Random(seed).NextBytes(junk);
        script.Request(FrameType.Write, WriteRequest.Encode(new DmaDescriptor(memoryBytes - 32, 32, 8, false, BlockKind.Slices), 0, junk));
        script.Request(FrameType.Commit, CommitRequest.Encode(memoryBytes - 32, 32, Crc32.Compute(junk)));
        script.Request(FrameType.Commit, CommitRequest.Encode(memoryBytes - 16, 16, Crc32.Compute(junk.AsSpan(16))));

        // Compressed requests, expanded in the receive path: a Run, its retransmission (answered from
        // the cache), a rewrite of the first chunk (it unregisters the model; committed again), and
        // tokens that do not decode: literals promised and missing, a cut stream, an expansion past
        // the frame limit. A compressed Hello expands to nothing and is answered.
        byte[] runTokens = ZeroRunCodec.Encode(run);
        byte ranCompressed = script.Request(FrameType.Run | FrameType.Compressed, runTokens);
        script.Again(FrameType.Run | FrameType.Compressed, ranCompressed, runTokens);
        script.Request(FrameType.Write | FrameType.Compressed, ZeroRunCodec.Encode(writes[0]));
        script.Request(FrameType.Run | FrameType.Compressed, runTokens);
        script.Request(FrameType.Commit, commit);
        script.Request(FrameType.Run | FrameType.Compressed, runTokens);
        script.Request(FrameType.Run | FrameType.Compressed, [0x13, 1, 2]);
        script.Request(FrameType.Run | FrameType.Compressed, runTokens[..^1]);
        script.Request(FrameType.Write | FrameType.Compressed, [.. Enumerable.Repeat((byte)0xF0, (MaxPayload / ZeroRunCodec.MaxRun) + 1)]);
        script.Request(FrameType.Hello | FrameType.Compressed, []);

        // Resets keep weights and the model table; a press also forgets the cached reply.
        byte reset = script.Request(FrameType.Reset, []);
        script.Again(FrameType.Reset, reset, []);                         // answered, not counted again
        byte status = script.Request(FrameType.Status, []);
        script.SoftReset();
        script.Again(FrameType.Status, status, []);
        script.Again(FrameType.Status, status, []);
        script.Request(FrameType.Run, laterRun);

        // Unload, commit the same image again, then a Write over it unregisters it.
        script.Request(FrameType.Unload, Address(modelAt));
        script.Request(FrameType.Run, laterRun);
        script.Request(FrameType.Commit, commit);
        script.Request(FrameType.Run, run);
        script.Request(FrameType.Write, writes[0]);
        script.Request(FrameType.Run, run);
        script.Request(FrameType.Status, []);
        script.Request(FrameType.Commit, commit);
        script.Request(FrameType.Status, []);
        return script;
    }

    /// <summary>
    /// A plain deployment and use of one model, as DeviceSession does it: Hello, the image chunk by
    /// chunk at <paramref name="modelAt"/>, Commit, one Run of <paramref name="batch"/> (sent twice,
    /// as after a lost reply) and Status.
    /// </summary>
    public static RequestScript Deployment(SparseModel model, DeviceProfile profile, int modelAt, IReadOnlyList<byte[]> batch, int seed)
    {
        var script = new RequestScript(new Random(seed));
        DeviceImage image = ModelCompiler.Compile(model, profile);
        script.Request(FrameType.Hello, []);
        foreach (byte[] write in Writes(image, modelAt))
        {
            script.Request(FrameType.Write, write);
        }

        script.Request(FrameType.Commit, CommitRequest.Encode(modelAt, image.ImageBytes, image.Checksum));
        byte[] run = RunRequest.Encode(modelAt, batch.Count, [.. batch.SelectMany(x => x)]);
        byte ran = script.Request(FrameType.Run, run);
        script.Again(FrameType.Run, ran, run);
        script.Request(FrameType.Status, []);
        return script;
    }

    /// <summary>
    /// Asserts that the RTL's replies are the emulator's, byte for byte, except where the two are
    /// specified to differ, as RtlLinkTests compares them: a Run reply's cycle count (the RTL
    /// counts its clock, the emulator its cost model) and an error's text (the RTL sends one fixed
    /// message per cause). Without the engine every Run that reaches the engine check is refused
    /// with an execution fault. Returns the emulator's replies with those parts taken from the RTL.
    /// </summary>
    public List<Frame> AssertSameReplies(IReadOnlyList<Frame> emulated, IReadOnlyList<Frame> rtl, bool hasEngine)
    {
        List<Event> answered = Events().Where(e => e.Kind != EventKind.SoftReset).ToList();
        Assert.Equal(answered.Count, emulated.Count);
        Assert.True(
            answered.Count == rtl.Count,
            $"{rtl.Count} replies from the RTL for {answered.Count} frames:\n  RTL      {Summary(rtl)}\n  emulator {Summary(emulated)}");
        var expected = new List<Frame>();
        var cyclesOf = new Dictionary<string, long>();    // RTL cycle counts by the emulator's Run reply
        for (int i = 0; i < answered.Count; i++)
        {
            Event request = answered[i];
            string what = request.Kind == EventKind.Damaged
                ? $"reply {i} (to a damaged frame)"
                : $"reply {i} (to {request.Frame.Type} #{request.Frame.Sequence}, {request.Frame.Payload.Length} bytes)";
            Frame want = emulated[i];
            Frame got = rtl[i];
            bool refusedRun = !hasEngine && request.Kind == EventKind.Frame && (request.Frame.Type & ~FrameType.Compressed) == FrameType.Run && Expanded(request.Frame)?.Length >= RunRequest.HeaderSize;
            if (refusedRun)
            {
                want = new Frame(FrameType.Error, request.Frame.Sequence, [(byte)DeviceErrorCode.ExecutionFault, .. Encoding.ASCII.GetBytes(NoEngine)]);
            }

            Assert.True(want.Type == got.Type, $"{what}: type {got.Type}, the emulator's {want.Type} ({Describe(got)})");
            Assert.True(want.Sequence == got.Sequence, $"{what}: sequence {got.Sequence}, the emulator's {want.Sequence}");
            if (want.Type == FrameType.Error)
            {
                Assert.True(got.Payload.Length == 25, $"{what}: error payload of {got.Payload.Length} bytes");
                Assert.True(want.Payload[0] == got.Payload[0], $"{what}: error code {got.Payload[0]}, the emulator's {want.Payload[0]} ({Encoding.UTF8.GetString(want.Payload.AsSpan(1))})");
                string text = Encoding.ASCII.GetString(got.Payload.AsSpan(1));
                string[] allowed = refusedRun ? [NoEngine] : Messages[(DeviceErrorCode)got.Payload[0]];
                Assert.True(allowed.Contains(text), $"{what}: message '{text}' for code {got.Payload[0]}");
                want = want with { Payload = got.Payload };
            }
            else if (want.IsReplyTo(FrameType.Run))
            {
                Assert.True(got.Payload.Length == want.Payload.Length, $"{what}: {got.Payload.Length} bytes, the emulator's {want.Payload.Length}");
                long cycles = BinaryPrimitives.ReadInt64LittleEndian(got.Payload.AsSpan(8));
                Assert.True(cycles is > 0 and <= uint.MaxValue, $"{what}: {cycles} cycles");

                // The same work takes the same cycles: so a retransmitted Run gets its first reply again.
                long before = cyclesOf.GetValueOrDefault(LinkBench.Hex(want.Payload), cycles);
                Assert.True(before == cycles, $"{what}: {cycles} cycles, {before} for the same run before");
                cyclesOf[LinkBench.Hex(want.Payload)] = cycles;
                byte[] payload = (byte[])want.Payload.Clone();
                got.Payload.AsSpan(8, 8).CopyTo(payload.AsSpan(8));
                want = want with { Payload = payload };
            }

            else if (want.IsReplyTo(FrameType.Hello))
            {
                // The two bytes that must differ: the RTL counts its own cycles, the emulator a cost
                // model's; and only the emulator runs the memory planner's column blocks (the RTL
                // faults on their opcode, and says so in Hello).
                DeviceProfile profile = DeviceProfile.Decode(want.Payload);
                DeviceProfile built = DeviceProfile.Decode(got.Payload);
                Assert.True(profile.Cycles == CycleSource.CostModel && built.Cycles == CycleSource.Hardware, $"{what}: cycle sources");
                Assert.True(profile.Features == EngineFeatures.ColumnBlocks && built.Features == EngineFeatures.None, $"{what}: engine features");
                want = want with { Payload = (profile with { Cycles = CycleSource.Hardware, Features = EngineFeatures.None }).Encode() };
            }

            Assert.True(want.Payload.AsSpan().SequenceEqual(got.Payload), $"{what}: payload\n  RTL      {LinkBench.Hex(got.Payload)}\n  emulator {LinkBench.Hex(want.Payload)}");
            expected.Add(want);
        }

        return expected;
    }

    /// <summary>The payload a device executes for <paramref name="frame"/>: expanded when it is compressed; null when its tokens do not decode.</summary>
    private static byte[]? Expanded(Frame frame) =>
        (frame.Type & FrameType.Compressed) == 0 ? frame.Payload
        : ZeroRunCodec.TryDecode(frame.Payload, MaxPayload, out byte[] expanded, out _) ? expanded : null;

    /// <summary>The RTL's error texts (command_controller.v), by the code they come with.</summary>
    private static readonly Dictionary<DeviceErrorCode, string[]> Messages = new()
    {
        [DeviceErrorCode.UnknownRequest] = ["request type unknown    "],
        [DeviceErrorCode.BadPayload] = ["payload malformed       "],
        [DeviceErrorCode.OutOfRange] = ["address outside memory  "],
        [DeviceErrorCode.ImageChecksum] = ["image checksum mismatch "],
        [DeviceErrorCode.NoModel] = ["no model at that address"],
        [DeviceErrorCode.ExecutionFault] = ["no free model slot      ", "model image is malformed"],
    };

    private const string NoEngine = "no engine in this build ";

    private static string Summary(IEnumerable<Frame> frames) => string.Join(' ', frames.Select(f => $"{(byte)f.Type:x2}#{f.Sequence}"));

    private static string Describe(Frame frame) => frame.Type == FrameType.Error && frame.Payload.Length > 0
        ? $"code {frame.Payload[0]}: {Encoding.ASCII.GetString(frame.Payload.AsSpan(1))}"
        : $"{frame.Payload.Length} bytes";

    /// <summary>The image's Write requests, chunk by chunk, for an image placed at <paramref name="modelAt"/>, as DeviceSession sends them.</summary>
    private static List<byte[]> Writes(DeviceImage image, int modelAt) =>
        [.. image.Chunks.Select(c => WriteRequest.Encode(c.Descriptor, modelAt, c.Payload!))];

    /// <summary>A Write of <paramref name="length"/> zero bytes that the device must refuse.</summary>
    private static void Write(RequestScript script, int address, int length, int elementBits) =>
        script.Request(FrameType.Write, WriteRequest.Encode(new DmaDescriptor(address, length, elementBits, false, BlockKind.Slices), 0, new byte[length]));

    private static byte[] Address(int address)
    {
        var payload = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(payload, (uint)address);
        return payload;
    }

    /// <summary>Parameter values as the harness wants them.</summary>
    public static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The emulator's end of the wire: each read hands it the next step's bytes (pressing its reset
    /// first where the step says so), so everything before a step has been answered when the step
    /// arrives; its replies are collected.
    /// </summary>
    private sealed class ScriptedWire(RequestScript script, LinkServer device) : Stream
    {
        private int _step;
        private int _offset;

        public ManualResetEventSlim Finished { get; } = new();

        public MemoryStream Replies { get; } = new();

        public int ModelsAtEnd { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            while (_step < script.Steps.Count && _offset == script.Steps[_step].Wire.Length)
            {
                if (script.Steps[_step].SoftReset)
                {
                    device.SoftReset();
                }

                _step++;
                _offset = 0;
            }

            if (_step == script.Steps.Count)
            {
                ModelsAtEnd = device.ModelAddresses.Count;
                Finished.Set();
                return 0;
            }

            byte[] wire = script.Steps[_step].Wire;
            int n = Math.Min(buffer.Length, wire.Length - _offset);
            wire.AsSpan(_offset, n).CopyTo(buffer);
            _offset += n;
            return n;
        }

        public override void Write(byte[] buffer, int offset, int count) => Replies.Write(buffer, offset, count);

        public override void Write(ReadOnlySpan<byte> buffer) => Replies.Write(buffer);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                Finished.Dispose();
                Replies.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
