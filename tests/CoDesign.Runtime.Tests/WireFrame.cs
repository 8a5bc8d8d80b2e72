using CoDesign.Runtime.Link;

namespace CoDesign.Runtime.Tests;

/// <summary>Reads and rewrites the single frame in one link write (the link writes one whole frame per call).</summary>
internal static class WireFrame
{
    /// <summary>The intact frame in <paramref name="wire"/>, or null when there is none.</summary>
    public static Frame? Read(byte[] wire)
    {
        var decoder = new FrameDecoder();
        Frame? found = null;
        foreach (byte b in wire)
        {
            if (decoder.Push(b) == DecodeResult.Frame)
            {
                found = decoder.Frame;
            }
        }

        return found;
    }

    /// <summary>
    /// <paramref name="wire"/> with its frame's payload replaced by <paramref name="rewrite"/>'s and
    /// sealed again with a correct CRC, so the receiver cannot tell; other bytes pass unchanged.
    /// </summary>
    public static byte[] Rewrite(byte[] wire, Func<Frame, bool> select, Func<byte[], byte[]> rewrite) =>
        Read(wire) is { } frame && select(frame)
            ? FrameCodec.Encode(frame with { Payload = rewrite(frame.Payload) })
            : wire;
}
