namespace CoDesign.Runtime.Link;

/// <summary>What the host's compression decisions did for one kind of request.</summary>
/// <param name="Transfers">Requests sent.</param>
/// <param name="Compressed">Of those, the ones sent compressed.</param>
/// <param name="PayloadBytes">Their payloads' bytes before any compression.</param>
/// <param name="SentBytes">Payload bytes that went out (compressed where chosen, else raw), before byte stuffing.</param>
/// <param name="EncodeTime">Host time spent encoding, whether or not the result was sent.</param>
public sealed record CompressionCounts(long Transfers, long Compressed, long PayloadBytes, long SentBytes, TimeSpan EncodeTime)
{
    /// <summary>Payload bytes the link did not have to carry.</summary>
    public long BytesSaved => PayloadBytes - SentBytes;

    /// <summary>Raw over sent payload bytes; 1 when nothing was saved.</summary>
    public double Ratio => SentBytes == 0 ? 1 : PayloadBytes / (double)SentBytes;
}
