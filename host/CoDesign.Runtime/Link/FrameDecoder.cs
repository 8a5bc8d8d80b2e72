using System.Buffers.Binary;
using CoDesign.Kernels;

namespace CoDesign.Runtime.Link;

/// <summary>What the decoder made of the bytes it has seen so far.</summary>
public enum DecodeResult
{
    /// <summary>Nothing complete yet.</summary>
    Pending,

    /// <summary>A frame passed its checks and is in <see cref="FrameDecoder.Frame"/>.</summary>
    Frame,

    /// <summary>A frame ended but failed its checks (CRC, length, escaping); it was discarded.</summary>
    Corrupted,
}

/// <summary>
/// Byte-at-a-time receiver for <see cref="FrameCodec"/> frames: the same state machine a UART
/// receiver in hardware runs. Garbage between frames is skipped; an over-long frame is cut off at
/// the size limit and reported corrupted, so no input can make it hang or grow without bound.
/// </summary>
public sealed class FrameDecoder(int maxPayload = Frame.MaxPayload)
{
    private readonly byte[] _buffer = new byte[maxPayload + FrameCodec.Overhead];
    private int _length;
    private bool _inFrame;
    private bool _escaped;
    private bool _overflow;

    /// <summary>The last complete frame (valid after <see cref="Push"/> returned <see cref="DecodeResult.Frame"/>).</summary>
    public Frame Frame { get; private set; }

    /// <summary>Frames discarded because they failed a check.</summary>
    public long CorruptedFrames { get; private set; }

    /// <summary>Feeds one received byte.</summary>
    public DecodeResult Push(byte b)
    {
        if (b == FrameCodec.Flag)
        {
            bool hadBody = _inFrame && (_length > 0 || _overflow || _escaped);
            DecodeResult result = hadBody ? Finish() : DecodeResult.Pending;
            _inFrame = true;
            _length = 0;
            _escaped = false;
            _overflow = false;
            return result;
        }

        // Stryker disable once Block : equivalent, see tests/mutation/EQUIVALENT.md (the first flag discards whatever came before)
        if (!_inFrame)
        {
            return DecodeResult.Pending; // noise before the first flag
        }

        if (b == FrameCodec.Escape)
        {
            _escaped = true;
            return DecodeResult.Pending;
        }

        if (_escaped)
        {
            b ^= FrameCodec.EscapeXor;
            _escaped = false;
        }

        if (_length == _buffer.Length)
        {
            _overflow = true;
        }
        else
        {
            _buffer[_length++] = b;
        }

        return DecodeResult.Pending;
    }

    private DecodeResult Finish()
    {
        if (_overflow || _escaped || _length < FrameCodec.Overhead)
        {
            return Reject();
        }

        int payloadLength = BinaryPrimitives.ReadUInt16LittleEndian(_buffer.AsSpan(2));
        if (payloadLength != _length - FrameCodec.Overhead)
        {
            return Reject();
        }

        uint crc = BinaryPrimitives.ReadUInt32LittleEndian(_buffer.AsSpan(4 + payloadLength));
        if (crc != Crc32.Compute(_buffer.AsSpan(0, 4 + payloadLength)))
        {
            return Reject();
        }

        Frame = new Frame((FrameType)_buffer[0], _buffer[1], _buffer.AsSpan(4, payloadLength).ToArray());
        return DecodeResult.Frame;
    }

    private DecodeResult Reject()
    {
        CorruptedFrames++;
        return DecodeResult.Corrupted;
    }
}
