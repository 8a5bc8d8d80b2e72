namespace CoDesign.Runtime.Link;

/// <summary>
/// The adaptive resend timeout of one kind of request, as TCP computes its RTO (RFC 6298): a smoothed
/// round trip and its mean deviation, <c>RTO = SRTT + max(G, 4·RTTVAR)</c>, doubled on every timeout
/// (exponential backoff) and sampled only from requests answered at their first send (Karn), kept
/// between a floor and a ceiling. The round trip of a frame grows with its length on a slow line, so
/// a request longer than those sampled gets a proportionally longer timeout. Before the first sample
/// the timeout is the ceiling. The floor guards against a scheduler's hiccup passing for a lost frame;
/// the ceiling is the link's configured reply timeout. Not thread-safe: <see cref="LinkClient"/> uses it under its lock.
/// </summary>
public sealed class RetransmitTimer
{
    private const double Granularity = 1e-3; // seconds: the resolution of the waits

    private double _smoothed;  // seconds
    private double _variation; // seconds
    private double _meanBytes;
    private int _backoff = 1;

    /// <summary>Round trips sampled so far.</summary>
    public long Samples { get; private set; }

    /// <summary>The smoothed round trip; zero before the first sample.</summary>
    public TimeSpan SmoothedRoundTrip => TimeSpan.FromSeconds(_smoothed);

    /// <summary>The mean deviation of the round trip; zero before the first sample.</summary>
    public TimeSpan RoundTripVariation => TimeSpan.FromSeconds(_variation);

    /// <summary>How long to wait for the reply to a request of <paramref name="wireBytes"/> bytes, between <paramref name="floor"/> and <paramref name="ceiling"/>.</summary>
    public TimeSpan TimeoutFor(int wireBytes, TimeSpan floor, TimeSpan ceiling)
    {
        if (Samples == 0 || floor >= ceiling)
        {
            return ceiling;
        }

        double scale = _meanBytes > 0 ? Math.Max(1, wireBytes / _meanBytes) : 1;
        double seconds = (_smoothed + Math.Max(Granularity, 4 * _variation)) * scale * _backoff;
        return TimeSpan.FromSeconds(Math.Clamp(seconds, floor.TotalSeconds, ceiling.TotalSeconds));
    }

    /// <summary>Records the round trip of a request of <paramref name="wireBytes"/> bytes answered at its first send; ends any backoff.</summary>
    public void Sample(TimeSpan roundTrip, int wireBytes)
    {
        double r = Math.Max(0, roundTrip.TotalSeconds);
        if (Samples == 0)
        {
            _smoothed = r;
            _variation = r / 2;
            _meanBytes = wireBytes;
        }
        else
        {
            _variation = (0.75 * _variation) + (0.25 * Math.Abs(_smoothed - r));
            _smoothed = (0.875 * _smoothed) + (0.125 * r);
            _meanBytes = (0.875 * _meanBytes) + (0.125 * wireBytes);
        }

        Samples++;
        _backoff = 1;
    }

    /// <summary>A wait ran out: the next timeout doubles, up to the ceiling.</summary>
    public void Backoff()
    {
        if (_backoff < 1 << 16)
        {
            _backoff *= 2;
        }
    }
}
