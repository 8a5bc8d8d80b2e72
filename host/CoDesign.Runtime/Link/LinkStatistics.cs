namespace CoDesign.Runtime.Link;

/// <summary>Counters of one link endpoint, and what its adaptive framing and timeout chose last.</summary>
public sealed class LinkStatistics
{
    private long _bytesSent;
    private long _bytesReceived;
    private long _retransmissions;
    private long _corruptedFrames;
    private long _frameErrors;
    private long _timeouts;
    private long _spuriousResends;
    private int _payloadSize;
    private long _byteErrorRateBits;
    private long _timeoutTicks;

    /// <summary>Wire bytes written, flags and escapes included.</summary>
    public long BytesSent => Interlocked.Read(ref _bytesSent);

    /// <summary>Wire bytes read.</summary>
    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    /// <summary>Requests sent again after a timeout, a corrupted reply or a frame-error report.</summary>
    public long Retransmissions => Interlocked.Read(ref _retransmissions);

    /// <summary>Received frames that failed their checks.</summary>
    public long CorruptedFrames => Interlocked.Read(ref _corruptedFrames);

    /// <summary>Frame-error reports from the device: requests it received damaged.</summary>
    public long FrameErrors => Interlocked.Read(ref _frameErrors);

    /// <summary>Waits for a reply that ran out (each is followed by a resend or by giving up).</summary>
    public long Timeouts => Interlocked.Read(ref _timeouts);

    /// <summary>Resends found unnecessary afterwards: the device answered the same request twice.</summary>
    public long SpuriousResends => Interlocked.Read(ref _spuriousResends);

    /// <summary>The payload size the link's frame-size policy chooses now (the frame size, less 8 bytes of header and CRC).</summary>
    public int PayloadSize => Volatile.Read(ref _payloadSize);

    /// <summary>The per-byte error rate the link measures now (damaged or lost bytes per wire byte).</summary>
    public double ByteErrorRate => BitConverter.Int64BitsToDouble(Interlocked.Read(ref _byteErrorRateBits));

    /// <summary>The resend timeout of the last request sent.</summary>
    public TimeSpan RetransmitTimeout => TimeSpan.FromTicks(Interlocked.Read(ref _timeoutTicks));

    internal void AddSent(long bytes) => Interlocked.Add(ref _bytesSent, bytes);

    internal void AddReceived(long bytes) => Interlocked.Add(ref _bytesReceived, bytes);

    internal void AddRetransmission() => Interlocked.Increment(ref _retransmissions);

    internal void AddCorrupted() => Interlocked.Increment(ref _corruptedFrames);

    internal void AddFrameError() => Interlocked.Increment(ref _frameErrors);

    internal void AddTimeout() => Interlocked.Increment(ref _timeouts);

    internal void AddSpuriousResend() => Interlocked.Increment(ref _spuriousResends);

    internal void SetFraming(int payloadSize, double byteErrorRate)
    {
        Volatile.Write(ref _payloadSize, payloadSize);
        Interlocked.Exchange(ref _byteErrorRateBits, BitConverter.DoubleToInt64Bits(byteErrorRate));
    }

    internal void SetRetransmitTimeout(TimeSpan timeout) => Interlocked.Exchange(ref _timeoutTicks, timeout.Ticks);
}
