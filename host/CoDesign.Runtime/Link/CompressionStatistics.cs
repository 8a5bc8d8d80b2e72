namespace CoDesign.Runtime.Link;

/// <summary>Counts of the host's compression decisions, per request type (thread-safe).</summary>
public sealed class CompressionStatistics
{
    private readonly Lock _gate = new();
    private readonly Dictionary<FrameType, CompressionCounts> _byType = [];

    /// <summary>The counts for requests of <paramref name="type"/> (all zero when none was sent).</summary>
    public CompressionCounts Of(FrameType type)
    {
        lock (_gate)
        {
            return Current(type);
        }
    }

    internal void Record(FrameType type, int payloadBytes, int sentBytes, bool compressed, TimeSpan encodeTime)
    {
        lock (_gate)
        {
            CompressionCounts was = Current(type);
            _byType[type & ~FrameType.Compressed] = new CompressionCounts(
                was.Transfers + 1, was.Compressed + (compressed ? 1 : 0), was.PayloadBytes + payloadBytes, was.SentBytes + sentBytes, was.EncodeTime + encodeTime);
        }
    }

    private CompressionCounts Current(FrameType type) =>
        _byType.GetValueOrDefault(type & ~FrameType.Compressed) ?? new CompressionCounts(0, 0, 0, 0, TimeSpan.Zero);
}
