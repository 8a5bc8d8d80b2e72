namespace CoDesign.Runtime.Link;

/// <summary>
/// Chooses the payload size of the frames a link sends from the error rate it measures, as HDLC and
/// TCP stacks adapt their frame and segment sizes. Every exchange (a request and its reply) is
/// recorded as delivered or failed with the wire bytes it exposed; assuming independent byte errors,
/// an exchange of <c>n</c> bytes survives with probability <c>exp(-ε·n)</c>, so the per-byte error rate
/// <c>ε</c> is estimated as <c>-ln(delivered / exchanges) / mean bytes per exchange</c> over a window
/// that fades old traffic out (<see cref="WindowBytes"/>). The payload <c>L</c> that maximises the
/// expected goodput <c>L·exp(-ε(L + c)) / (L + c)</c>, with <c>c</c> the bytes every exchange costs
/// besides its payload, is <c>(√(c² + 4c/ε) - c) / 2</c>; the choice follows it with hysteresis (it
/// shrinks when the optimum is 1/8 below it and grows when the optimum is 1/4 above it), so it
/// neither flaps on noise in the estimate nor stays small once the line is clean.
/// Thread-safe.
/// </summary>
public sealed class FrameSizePolicy
{
    /// <summary>Payload granularity: multiples of 8 bytes keep split DMA writes word-aligned on every bus.</summary>
    public const int Granularity = 8;

    /// <summary>The smallest payload the policy chooses (the smallest MaxPayload a device may declare).</summary>
    public const int DefaultMinPayload = 64;

    /// <summary>Bytes an exchange costs besides its payload: framing both ways, a DMA descriptor, a short reply.</summary>
    public const int DefaultExchangeOverhead = 48;

    // A clean prior (a few delivered kilobytes that never fade) keeps one early error from
    // collapsing the frame size before the window holds enough traffic to judge.
    private const double PriorExchanges = 4;
    private const double PriorBytes = 4 * 1024;

    private readonly Lock _gate = new();
    private double _delivered;
    private double _failed;
    private double _bytes;
    private int _payload;

    /// <summary>Starts at the largest payload, as a clean line deserves.</summary>
    /// <param name="maxPayload">The device's limit.</param>
    /// <param name="minPayload">The smallest payload chosen; at most <paramref name="maxPayload"/>.</param>
    /// <param name="exchangeOverhead">Bytes every exchange costs besides its payload.</param>
    /// <param name="windowBytes">Traffic over which old observations fade by a factor e.</param>
    public FrameSizePolicy(int maxPayload, int minPayload = DefaultMinPayload, int exchangeOverhead = DefaultExchangeOverhead, int windowBytes = 64 * 1024)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(minPayload);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPayload, minPayload);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(exchangeOverhead);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(windowBytes);
        MaxPayload = maxPayload;
        MinPayload = minPayload;
        ExchangeOverhead = exchangeOverhead;
        WindowBytes = windowBytes;
        _payload = maxPayload;
    }

    /// <summary>The device's limit: never exceeded.</summary>
    public int MaxPayload { get; }

    /// <summary>The floor of the choice.</summary>
    public int MinPayload { get; }

    /// <summary>Bytes every exchange costs besides its payload (the <c>c</c> of the goodput model).</summary>
    public int ExchangeOverhead { get; }

    /// <summary>Wire bytes over which old observations fade by a factor e.</summary>
    public int WindowBytes { get; }

    /// <summary>The payload size to send now: within [<see cref="MinPayload"/>, <see cref="MaxPayload"/>].</summary>
    public int PayloadSize
    {
        get
        {
            lock (_gate)
            {
                return _payload;
            }
        }
    }

    /// <summary>The measured probability that a byte on the wire is damaged or lost (0 on a clean line).</summary>
    public double ByteErrorRate
    {
        get
        {
            lock (_gate)
            {
                return Estimate();
            }
        }
    }

    /// <summary>Records one exchange: <paramref name="wireBytes"/> sent and received, delivered intact or not.</summary>
    public void Record(int wireBytes, bool delivered)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(wireBytes);
        lock (_gate)
        {
            double fade = Math.Exp(-wireBytes / (double)WindowBytes);
            _delivered = (_delivered * fade) + (delivered ? 1 : 0);
            _failed = (_failed * fade) + (delivered ? 0 : 1);
            _bytes = (_bytes * fade) + wireBytes;
            Choose();
        }
    }

    /// <summary>
    /// Takes back one failure: a reply arrived twice, so a resend counted as a loss was not needed
    /// (the first reply was only late). Keeps a slow moment from being mistaken for a noisy line.
    /// </summary>
    public void Forgive()
    {
        lock (_gate)
        {
            double moved = Math.Min(1, _failed);
            _failed -= moved;
            _delivered += moved;
            Choose();
        }
    }

    /// <summary>The payload maximising expected goodput at <paramref name="byteErrorRate"/>, within the bounds, a multiple of <see cref="Granularity"/> where the bounds allow.</summary>
    public static int OptimalPayload(double byteErrorRate, int exchangeOverhead, int minPayload, int maxPayload)
    {
        if (!(byteErrorRate > 0))
        {
            return maxPayload;
        }

        double c = exchangeOverhead;
        double best = (Math.Sqrt((c * c) + (4 * c / byteErrorRate)) - c) / 2;
        if (best >= maxPayload)
        {
            return maxPayload;
        }

        // The goodput is unimodal in the payload: the better of the multiples on either side of the peak.
        int below = Math.Clamp((int)(Math.Floor(best / Granularity) * Granularity), minPayload, maxPayload);
        int above = Math.Clamp(below + Granularity, minPayload, maxPayload);
        return ExpectedGoodput(above, byteErrorRate, exchangeOverhead) > ExpectedGoodput(below, byteErrorRate, exchangeOverhead) ? above : below;
    }

    /// <summary>Expected payload bytes delivered per wire byte sent, for payload <paramref name="payload"/> at <paramref name="byteErrorRate"/>.</summary>
    public static double ExpectedGoodput(int payload, double byteErrorRate, int exchangeOverhead)
    {
        double exposed = payload + exchangeOverhead;
        return payload * Math.Exp(-byteErrorRate * exposed) / exposed;
    }

    private double Estimate()
    {
        double delivered = _delivered + PriorExchanges;
        double exchanges = delivered + _failed;
        return _failed <= 0 ? 0 : -Math.Log(delivered / exchanges) * exchanges / (_bytes + PriorBytes);
    }

    private void Choose()
    {
        int optimum = OptimalPayload(Estimate(), ExchangeOverhead, MinPayload, MaxPayload);
        // Hysteresis: a lower optimum is followed sooner than a higher one, since frames that are too
        // long cost whole resends, and frames a little too short cost only overhead.
        // At either bound the optimum is taken as it is, so a clean line gets its full frames back.
        if (optimum * 8L < _payload * 7L || optimum * 4L > _payload * 5L || optimum == MaxPayload || optimum == MinPayload)
        {
            _payload = optimum;
        }
    }
}
