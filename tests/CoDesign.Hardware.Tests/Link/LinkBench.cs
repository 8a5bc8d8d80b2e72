using System.Globalization;
using System.Text;
using CoDesign.Runtime.Link;

namespace CoDesign.Hardware.Tests.Link;

/// <summary>Runs the link-layer test benches of <c>hardware/tb</c> and speaks their file formats.</summary>
internal static class LinkBench
{
    public static readonly string[] LinkRtl = ["uart_rx.v", "uart_tx.v", "crc32_update_byte.v", "frame_receiver.v", "frame_transmitter.v"];

    /// <summary>
    /// Writes a <c>$readmemh</c> file: one hex word per line. The benches read such files with a
    /// count in the first word.
    /// </summary>
    public static void WriteHex(BenchFolder folder, string file, IEnumerable<uint> words)
    {
        var text = new StringBuilder();
        foreach (uint word in words)
        {
            text.Append(word.ToString("x", CultureInfo.InvariantCulture)).Append('\n');
        }

        File.WriteAllText(System.IO.Path.Combine(folder.Path, file), text.ToString());
    }

    /// <summary>Runs the bench <paramref name="top"/> in <paramref name="folder"/>; see <see cref="BenchFolder.Run"/>.</summary>
    public static List<string> Run(string top, IEnumerable<string> rtl, BenchFolder folder, IReadOnlyDictionary<string, string> parameters) =>
        folder.Run(top, rtl, parameters);

    /// <summary>Lines of <paramref name="lines"/> that start with one of the given words.</summary>
    public static List<string> Only(IEnumerable<string> lines, params string[] prefixes) =>
        lines.Where(l => prefixes.Any(p => l.StartsWith(p + " ", StringComparison.Ordinal) || l == p)).ToList();

    public static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    public static byte[] ParseHex(string hex) => hex == "-" ? [] : Convert.FromHexString(hex);

    /// <summary>
    /// What the C# receiver makes of <paramref name="wire"/>, in the frame_receiver bench's words:
    /// <c>FRAME index type seq len payload</c> or <c>ERROR index</c>, index being the byte that ended the frame.
    /// </summary>
    public static List<string> DecoderLines(IReadOnlyList<byte> wire, int maxPayload)
    {
        var decoder = new FrameDecoder(maxPayload);
        var lines = new List<string>();
        for (int i = 0; i < wire.Count; i++)
        {
            switch (decoder.Push(wire[i]))
            {
                case DecodeResult.Frame:
                    lines.Add(ReceiverLine(i, decoder.Frame));
                    break;
                case DecodeResult.Corrupted:
                    lines.Add($"ERROR {i}");
                    break;
            }
        }

        return lines;
    }

    public static string ReceiverLine(int index, Frame frame) =>
        $"FRAME {index} {(byte)frame.Type:x2} {frame.Sequence:x2} {frame.Payload.Length} {(frame.Payload.Length == 0 ? "-" : Hex(frame.Payload))}";

    /// <summary>The frames FrameDecoder accepts from <paramref name="wire"/>.</summary>
    public static List<Frame> DecodeFrames(IEnumerable<byte> wire, int maxPayload = Frame.MaxPayload)
    {
        var decoder = new FrameDecoder(maxPayload);
        var frames = new List<Frame>();
        foreach (byte b in wire)
        {
            if (decoder.Push(b) == DecodeResult.Frame)
            {
                frames.Add(decoder.Frame);
            }
        }

        return frames;
    }

    /// <summary>A payload of random bytes, or (with <paramref name="stuffy"/>) mostly flags and escapes.</summary>
    public static byte[] Payload(Random random, int length, bool stuffy = false)
    {
        var payload = new byte[length];
        random.NextBytes(payload);
        if (stuffy)
        {
            for (int i = 0; i < length; i++)
            {
                payload[i] = random.Next(4) switch
                {
                    0 => FrameCodec.Flag,
                    1 => FrameCodec.Escape,
                    2 => (byte)(FrameCodec.Flag ^ FrameCodec.EscapeXor),
                    _ => payload[i],
                };
            }
        }

        return payload;
    }

    /// <summary>A frame with a random type (sometimes a byte that needs stuffing), sequence number and payload.</summary>
    public static Frame RandomFrame(Random random, int length, bool stuffy = false)
    {
        byte type = random.Next(4) == 0 ? FrameCodec.Flag : (byte)random.Next(256);
        byte sequence = random.Next(4) == 0 ? FrameCodec.Escape : (byte)random.Next(256);
        return new Frame((FrameType)type, sequence, Payload(random, length, stuffy));
    }

    /// <summary>An unstuffed body (type..CRC), stuffed and between flags, as FrameCodec.Encode would send it.</summary>
    public static byte[] Stuff(ReadOnlySpan<byte> body) => FrameCodec.Stuff(body);

    public static void AssertSameFrame(Frame expected, Frame actual)
    {
        Assert.Equal(expected.Type, actual.Type);
        Assert.Equal(expected.Sequence, actual.Sequence);
        Assert.Equal(expected.Payload, actual.Payload);
    }
}
