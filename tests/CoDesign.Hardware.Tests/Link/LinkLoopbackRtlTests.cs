using System.Globalization;
using CoDesign.Runtime.Link;

namespace CoDesign.Hardware.Tests.Link;

/// <summary>
/// The whole link layer over serial lines (hardware/tb/link_loopback_tb.v): host bytes from
/// FrameCodec go through uart_tx, uart_rx and frame_receiver; an echo controller answers every good
/// frame through frame_transmitter and uart_tx; the host's uart_rx hears exactly
/// FrameCodec.Encode of the replies.
/// </summary>
public class LinkLoopbackRtlTests
{
    [Fact]
    public void EveryGoodFrameIsEchoedAndEveryDamagedOneIsReported()
    {
        const int maxPayload = 64;
        var random = new Random(51);
        var words = new List<uint>();
        var hostWire = new List<byte>();
        var requests = new List<Frame>();
        int damaged = 0;

        void Send(byte[] bytes)
        {
            // The first byte of each request waits until the previous reply is out, as a host does.
            for (int i = 0; i < bytes.Length; i++)
            {
                uint gap = random.Next(8) == 0 ? (uint)random.Next(1, 30) : 0u;
                words.Add((i == 0 ? 1u << 16 : 0u) | (gap << 8) | bytes[i]);
            }

            hostWire.AddRange(bytes);
        }

        for (int i = 0; i < 14; i++)
        {
            int length = i switch { 0 => 0, 1 => maxPayload, _ => random.Next(24) };
            Frame frame = new((FrameType)random.Next(1, 8), (byte)random.Next(256), LinkBench.Payload(random, length, stuffy: i % 2 == 0));
            byte[] wire = FrameCodec.Encode(frame);
            switch (i % 5)
            {
                case 3:
                    wire[random.Next(1, wire.Length - 1)] ^= (byte)(1 << random.Next(8));
                    damaged++;
                    break;
                case 4:
                    var noise = new byte[random.Next(1, 12)];
                    random.NextBytes(noise);
                    Send(noise);
                    requests.Add(frame);
                    break;
                default:
                    requests.Add(frame);
                    break;
            }

            Send(wire);
        }

        using var folder = new BenchFolder("link-loopback");
        LinkBench.WriteHex(folder, "loop_wire.hex", words.Prepend((uint)words.Count));
        List<string> lines = LinkBench.Run("link_loopback_tb", LinkBench.LinkRtl, folder, new Dictionary<string, string>
        {
            ["CLKS_PER_BIT"] = "4",
            ["MAX_PAYLOAD"] = maxPayload.ToString(CultureInfo.InvariantCulture),
            ["BYTES"] = words.Count.ToString(CultureInfo.InvariantCulture),
        });

        // The device received what the C# decoder receives from the same bytes.
        var expectedRx = new List<string>();
        var decoder = new FrameDecoder(maxPayload);
        foreach (byte b in hostWire)
        {
            switch (decoder.Push(b))
            {
                case DecodeResult.Frame:
                    expectedRx.Add($"RXFRAME {(byte)decoder.Frame.Type:x2} {decoder.Frame.Sequence:x2} {decoder.Frame.Payload.Length}");
                    break;
                case DecodeResult.Corrupted:
                    expectedRx.Add("RXERROR");
                    break;
            }
        }

        Assert.Equal(expectedRx, LinkBench.Only(lines, "RXFRAME", "RXERROR"));
        Assert.True(LinkBench.Only(lines, "RXERROR").Count >= damaged);

        // The host heard exactly the encoded replies, one per intact request.
        byte[] heard = LinkBench.Only(lines, "OUT").Select(l => Convert.ToByte(l[4..], 16)).ToArray();
        byte[] expectedReplies = requests
            .SelectMany(r => FrameCodec.Encode(new Frame(r.Type | FrameType.ReplyFlag, r.Sequence, r.Payload)))
            .ToArray();
        Assert.Equal(expectedReplies, heard);

        List<Frame> replies = LinkBench.DecodeFrames(heard, maxPayload);
        Assert.Equal(requests.Count, replies.Count);
        for (int i = 0; i < requests.Count; i++)
        {
            Assert.True(replies[i].IsReplyTo(requests[i].Type));
            Assert.Equal(requests[i].Sequence, replies[i].Sequence);
            Assert.Equal(requests[i].Payload, replies[i].Payload);
        }
    }
}
