namespace CoDesign.Runtime.Link;

/// <summary>Counters of one link endpoint.</summary>
public sealed class LinkStatistics
{
    private long _bytesSent;
    private long _bytesReceived;
    private long _retransmissions;
    private long _corruptedFrames;

    /// <summary>Wire bytes written, flags and escapes included.</summary>
    public long BytesSent => Interlocked.Read(ref _bytesSent);

    /// <summary>Wire bytes read.</summary>
    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    /// <summary>Requests sent again after a timeout, a corrupted reply or a frame-error report.</summary>
    public long Retransmissions => Interlocked.Read(ref _retransmissions);

    /// <summary>Received frames that failed their checks.</summary>
    public long CorruptedFrames => Interlocked.Read(ref _corruptedFrames);

    internal void AddSent(long bytes) => Interlocked.Add(ref _bytesSent, bytes);

    internal void AddReceived(long bytes) => Interlocked.Add(ref _bytesReceived, bytes);

    internal void AddRetransmission() => Interlocked.Increment(ref _retransmissions);

    internal void AddCorrupted() => Interlocked.Increment(ref _corruptedFrames);
}
