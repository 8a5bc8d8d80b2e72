namespace CoDesign.TestSupport;

/// <summary>
/// A noisy serial line in front of a byte stream: every byte written through it and every byte read
/// from it crosses the line, which flips each bit with probability <see cref="BitErrorRate"/> and
/// loses each byte with probability <see cref="DropRate"/>, independently in each direction, from
/// seeded generators (the same seed damages the same positions of the same traffic). Wrap the host's
/// end of a device link with it and the device sees a damaged request stream and the host a damaged
/// reply stream, as over a real line. Rates may be changed while traffic flows (a line that clears up).
/// </summary>
public sealed class NoisyLine : Stream
{
    private readonly Stream _inner;
    private readonly Direction _outbound;
    private readonly Direction _inbound;

    /// <summary>Puts a line with the given error rates in front of <paramref name="inner"/>, which it disposes.</summary>
    /// <param name="inner">The stream to the far end (for a device on this host: its host end).</param>
    /// <param name="bitErrorRate">Probability that a bit is flipped, in [0, 1).</param>
    /// <param name="dropRate">Probability that a byte is lost, in [0, 1).</param>
    /// <param name="seed">Seeds the two directions' generators.</param>
    public NoisyLine(Stream inner, double bitErrorRate, double dropRate, int seed)
    {
        _inner = inner;
        _outbound = new Direction(seed);
        _inbound = new Direction(unchecked((seed * 31) + 17));
        SetRates(bitErrorRate, dropRate);
    }

    /// <summary>Probability that a bit is flipped, each direction.</summary>
    public double BitErrorRate { get; private set; }

    /// <summary>Probability that a byte is lost, each direction.</summary>
    public double DropRate { get; private set; }

    /// <summary>Bits flipped so far, both directions.</summary>
    public long BitsFlipped => _outbound.Flipped + _inbound.Flipped;

    /// <summary>Bytes lost so far, both directions.</summary>
    public long BytesDropped => _outbound.Dropped + _inbound.Dropped;

    /// <summary>Bytes that entered the line so far, both directions.</summary>
    public long BytesCarried => _outbound.Carried + _inbound.Carried;

    /// <summary>Changes both rates from now on (0 and 0: a clean line).</summary>
    public void SetRates(double bitErrorRate, double dropRate)
    {
        if (bitErrorRate is < 0 or >= 1 || double.IsNaN(bitErrorRate))
        {
            throw new ArgumentOutOfRangeException(nameof(bitErrorRate), bitErrorRate, "a probability in [0, 1)");
        }

        if (dropRate is < 0 or >= 1 || double.IsNaN(dropRate))
        {
            throw new ArgumentOutOfRangeException(nameof(dropRate), dropRate, "a probability in [0, 1)");
        }

        BitErrorRate = bitErrorRate;
        DropRate = dropRate;
        _outbound.SetRates(bitErrorRate, dropRate);
        _inbound.SetRates(bitErrorRate, dropRate);
    }

    /// <inheritdoc/>
    public override bool CanRead => _inner.CanRead;

    /// <inheritdoc/>
    public override bool CanWrite => _inner.CanWrite;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    /// <inheritdoc/>
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc/>
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc/>
    public override int Read(Span<byte> buffer)
    {
        while (true)
        {
            int read = _inner.Read(buffer);
            if (read == 0)
            {
                return 0;
            }

            int kept = _inbound.Damage(buffer[..read]);
            if (kept > 0)
            {
                return kept; // 0 would mean the end of the stream: read on when the line ate everything
            }
        }
    }

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        byte[] copy = buffer.ToArray();
        int kept = _outbound.Damage(copy);
        if (kept > 0)
        {
            _inner.Write(copy, 0, kept);
        }
    }

    /// <inheritdoc/>
    public override void Flush() => _inner.Flush();

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>
    /// One direction of the line. Events are drawn as gaps (geometric distances to the next flipped bit
    /// and the next lost byte), so a clean stretch costs no random numbers per byte.
    /// </summary>
    private sealed class Direction(int seed)
    {
        private readonly Random _random = new(seed);
        private readonly Lock _gate = new();
        private double _bitErrorRate;
        private double _dropRate;
        private long _bitsToFlip;
        private long _bytesToDrop;

        public long Flipped { get; private set; }

        public long Dropped { get; private set; }

        public long Carried { get; private set; }

        public void SetRates(double bitErrorRate, double dropRate)
        {
            lock (_gate)
            {
                _bitErrorRate = bitErrorRate;
                _dropRate = dropRate;
                _bitsToFlip = Gap(bitErrorRate);
                _bytesToDrop = Gap(dropRate);
            }
        }

        /// <summary>Damages <paramref name="data"/> in place, moving kept bytes forward; returns how many were kept.</summary>
        public int Damage(Span<byte> data)
        {
            lock (_gate)
            {
                Carried += data.Length;
                int kept = 0;
                for (int i = 0; i < data.Length; i++)
                {
                    byte b = data[i];
                    // Flips land on this byte's 8 bits while the gap to the next flip is shorter than 8.
                    while (_bitsToFlip < 8)
                    {
                        b ^= (byte)(1 << (int)_bitsToFlip);
                        Flipped++;
                        _bitsToFlip += 1 + Gap(_bitErrorRate);
                    }

                    _bitsToFlip -= 8;
                    if (_bytesToDrop == 0)
                    {
                        Dropped++;
                        _bytesToDrop = Gap(_dropRate);
                        continue;
                    }

                    _bytesToDrop--;
                    data[kept++] = b;
                }

                return kept;
            }
        }

        // Trials before the next event of probability p: geometric, drawn by inversion. Infinite
        // (as good as) for p = 0.
        private long Gap(double p)
        {
            if (p <= 0)
            {
                return long.MaxValue / 2;
            }

            double u = 1 - _random.NextDouble(); // (0, 1]
            return (long)Math.Min(long.MaxValue / 4, Math.Floor(Math.Log(u) / Math.Log(1 - p)));
        }
    }
}
