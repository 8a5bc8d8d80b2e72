using System.Globalization;
using CoDesign.Runtime.Link;

namespace CoDesign.Hardware.Tests.Link;

/// <summary>
/// hardware/rtl/zero_run_decoder.v under Icarus expands compressed payloads exactly as
/// <see cref="ZeroRunCodec.TryDecode"/> does (what every C# device runs), refuses the same hostile
/// ones, passes raw payloads through, and keeps nothing of a bad frame for the next.
/// </summary>
public class ZeroRunDecoderRtlTests
{
    private const int MaxPayload = 64;

    /// <summary>Idle cycles between payload bytes behind a UART at 4 clocks per bit: 40 per byte.</summary>
    private const int UartGap = 39;

    private static readonly string[] Rtl = ["zero_run_decoder.v"];

    private readonly List<uint> _ops = [];
    private readonly List<string> _expected = [];

    private void Op(int op, int gap, byte data) => _ops.Add(((uint)op << 16) | ((uint)gap << 8) | data);

    /// <summary>A good frame of <paramref name="type"/> whose payload bytes arrive <paramref name="gap"/> idle cycles apart.</summary>
    private void Frame(FrameType type, byte[] payload, int gap = UartGap, bool damaged = false)
    {
        Op(1, 5, (byte)type);
        foreach (byte b in payload)
        {
            Op(0, gap, b);
        }

        Op(damaged ? 3 : 2, 5, 0);
        if (damaged)
        {
            _expected.Add("ERROR");
        }
        else if ((type & FrameType.Compressed) == 0)
        {
            _expected.Add(Line(type, payload));
        }
        else
        {
            _expected.Add(ZeroRunCodec.TryDecode(payload, MaxPayload, out byte[] decoded, out _)
                ? Line(type & ~FrameType.Compressed, decoded)
                : $"FRAME {(byte)(type & ~FrameType.Compressed):x2} 1");
        }
    }

    private static string Line(FrameType type, byte[] payload) =>
        $"FRAME {(byte)type:x2} 0 {payload.Length} {(payload.Length == 0 ? "-" : LinkBench.Hex(payload))}";

    private List<string> Run()
    {
        using var folder = new BenchFolder("zero-run-decoder");
        LinkBench.WriteHex(folder, "zrd_ops.hex", [(uint)_ops.Count, .. _ops]);
        List<string> lines = LinkBench.Run("zero_run_decoder_tb", Rtl, folder, new Dictionary<string, string>
        {
            ["MAX_PAYLOAD"] = MaxPayload.ToString(CultureInfo.InvariantCulture),
            ["OPS"] = _ops.Count.ToString(CultureInfo.InvariantCulture),
        });
        return LinkBench.Only(lines, "FRAME", "ERROR");
    }

    private static byte[] Sparse(Random random, int length)
    {
        var data = new byte[length];
        for (int i = 0; i < length; i++)
        {
            data[i] = random.Next(5) switch { 0 or 1 => 0, 2 => (byte)random.Next(1, 256), _ => i > 0 ? data[i - 1] : (byte)0 };
        }

        return data;
    }

    [Fact]
    public void CompressedPayloadsExpandToTheBytesTheHostEncodedAndRawOnesPassThrough()
    {
        var random = new Random(5);
        Frame(FrameType.Run | FrameType.Compressed, ZeroRunCodec.Encode(new byte[MaxPayload]));            // all zeros: 5 tokens
        Frame(FrameType.Write | FrameType.Compressed, ZeroRunCodec.Encode([.. Enumerable.Range(1, MaxPayload).Select(i => (byte)i)]));
        Frame(FrameType.Run | FrameType.Compressed, []);                                                      // expands to nothing
        Frame(FrameType.Hello, []);
        for (int i = 0; i < 40; i++)
        {
            byte[] data = Sparse(random, random.Next(MaxPayload + 1));
            if (random.Next(3) == 0)
            {
                Frame(FrameType.Write, data, gap: random.Next(3));   // raw bytes may come every cycle
            }
            else
            {
                Frame(FrameType.Run | FrameType.Compressed, ZeroRunCodec.Encode(data), damaged: random.Next(8) == 0);
            }
        }

        Assert.Equal(_expected, Run());
    }

    [Fact]
    public void HostilePayloadsAreRefusedAsTheCSharpDecoderRefusesThemAndTheNextFrameIsIntact()
    {
        var random = new Random(17);
        Frame(FrameType.Run | FrameType.Compressed, [0x03, 1, 2]);                  // a literal promised and missing
        Frame(FrameType.Run | FrameType.Compressed, [0x02, 9, 9]);
        Frame(FrameType.Run | FrameType.Compressed, [.. Enumerable.Repeat((byte)0xF0, 5)]);   // 75 zeros: past the buffer
        Frame(FrameType.Run | FrameType.Compressed, [.. Enumerable.Repeat((byte)0xF0, 4), 0x41, 7]);   // exactly 64
        Frame(FrameType.Run | FrameType.Compressed, [.. Enumerable.Repeat((byte)0xF0, 4), 0x51, 7]);   // one past
        for (int i = 0; i < 60; i++)
        {
            var garbage = new byte[random.Next(1, 20)];
            random.NextBytes(garbage);
            Frame((FrameType)random.Next(1, 8) | FrameType.Compressed, garbage);
            Frame(FrameType.Run | FrameType.Compressed, ZeroRunCodec.Encode(Sparse(random, random.Next(MaxPayload + 1))));
        }

        List<string> got = Run();
        Assert.Equal(_expected, got);
        Assert.Contains("FRAME 04 1", got);
    }

    [Fact]
    public void ABytePushedInBeforeTheZerosAreWrittenMakesTheFrameMalformedNotWrong()
    {
        // Faster than any UART: a token of 15 zeros, then its successor in the next cycle.
        Op(1, 5, (byte)(FrameType.Run | FrameType.Compressed));
        Op(0, 0, 0xF1);
        Op(0, 0, 0x05);
        Op(0, 0, 0x01);
        Op(2, 0, 0);
        _expected.Add("FRAME 04 1");

        // The last token's zeros outlast the frame's end: the result waits for them. (The next
        // frame's first payload byte comes 5 wire bytes after the flag: here after the zeros.)
        Op(1, 40, (byte)(FrameType.Run | FrameType.Compressed));
        Op(0, 0, 0x01);
        Op(0, 39, 0x07);
        Op(0, 39, 0xF0);
        Op(2, 0, 0);
        _expected.Add(Line(FrameType.Run, [7, .. new byte[15]]));

        Assert.Equal(_expected, Run());
    }
}
