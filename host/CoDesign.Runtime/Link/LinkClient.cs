using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace CoDesign.Runtime.Link;

/// <summary>
/// The host end of the link: stop-and-wait requests with sequence numbers, retransmission on
/// timeout or corruption, and a clear error when the device stays silent. Any <see cref="Stream"/>
/// carries it (an in-memory pipe to the emulator, a pseudo-terminal, a serial port), so every device
/// shares this code. Thread-safe: concurrent requests are serialized.
/// </summary>
public sealed class LinkClient : IDisposable
{
    private readonly Stream _stream;
    private readonly string _deviceName;
    private readonly BlockingCollection<Frame?> _received = new();
    private readonly Lock _gate = new();
    private readonly Thread _reader;
    private readonly IProgress<LinkWait>? _waits;
    private readonly Dictionary<FrameType, RetransmitTimer> _timers = [];
    private FrameSizePolicy _framing;
    private byte _nextSequence = 1;
    private byte _previousSequence;
    private int _previousResends;
    private volatile bool _closed;

    /// <summary>Starts reading replies from <paramref name="stream"/>.</summary>
    /// <param name="stream">A duplex byte stream to the device.</param>
    /// <param name="deviceName">Names the device in error messages.</param>
    /// <param name="timeout">The longest wait for a reply before sending the request again: the ceiling
    /// of the adaptive resend timeout, and the wait that counts as a failed attempt.</param>
    /// <param name="attempts">How many waits of the full <paramref name="timeout"/> a request gets before the device is declared silent.</param>
    /// <param name="waits">Hears of every request sent again because no reply came within the full timeout, as it happens.</param>
    public LinkClient(Stream stream, string deviceName, TimeSpan timeout, int attempts = 4, IProgress<LinkWait>? waits = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(attempts);
        _stream = stream;
        _deviceName = deviceName;
        Timeout = timeout;
        Attempts = attempts;
        _waits = waits;
        _framing = new FrameSizePolicy(Frame.MaxPayload);
        Statistics.SetFraming(_framing.PayloadSize, 0);
        _reader = new Thread(ReadLoop) { IsBackground = true, Name = $"link reader ({deviceName})" };
        _reader.Start();
    }

    /// <summary>
    /// The longest wait for a reply per send. The resend timeout adapts to the measured round trip
    /// (see <see cref="RetransmitTimer"/>) between <see cref="MinTimeout"/> and this; only a wait of this
    /// full length counts as a failed attempt, so a slow device is never declared silent early.
    /// </summary>
    public TimeSpan Timeout { get; set; }

    /// <summary>The floor of the adaptive resend timeout (100 ms unless changed): below it, a busy host's scheduling hiccups would pass for lost frames.</summary>
    public TimeSpan MinTimeout { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Full-timeout waits per request before giving up.</summary>
    public int Attempts { get; }

    /// <summary>
    /// Resends per request made at once because a damage report or a damaged reply arrived (16 unless
    /// changed); after these, damage is ignored and only timeouts resend, so a link that damages
    /// everything still ends in <see cref="DeviceTimeoutException"/>. A very noisy line whose frames
    /// cannot be made shorter (a Run of one large input) may need more.
    /// </summary>
    public int QuickResends { get; set; } = 16;

    /// <summary>
    /// Chooses the payload size of the frames the link's users send, from the error rate measured on
    /// this link's exchanges. Replacing it (as <see cref="Deploy.DeviceSession"/> does once the device
    /// has told its limit) starts the measurement again.
    /// </summary>
    public FrameSizePolicy Framing
    {
        get => _framing;
        set
        {
            _framing = value ?? throw new ArgumentNullException(nameof(value));
            Statistics.SetFraming(value.PayloadSize, value.ByteErrorRate);
        }
    }

    /// <summary>Byte, error and timeout counters, and the current frame size and resend timeout.</summary>
    public LinkStatistics Statistics { get; } = new();

    /// <summary>The adaptive resend timer of requests of <paramref name="type"/> (each kind has its own: a Run's round trip includes its compute).</summary>
    public RetransmitTimer TimerOf(FrameType type)
    {
        lock (_gate)
        {
            return TimerFor(type);
        }
    }

    /// <summary>
    /// Sends a request and returns the payload of the device's reply. Throws
    /// <see cref="DeviceErrorException"/> when the device refuses it and
    /// <see cref="DeviceTimeoutException"/> when no valid reply comes within <see cref="Attempts"/> waits of the full <see cref="Timeout"/>.
    /// </summary>
    public byte[] Request(FrameType type, byte[] payload)
    {
        lock (_gate)
        {
            byte sequence = _nextSequence;
            _nextSequence = (byte)(_nextSequence == 255 ? 1 : _nextSequence + 1);
            byte[] wire = FrameCodec.Encode(new Frame(type, sequence, payload));
            RetransmitTimer timer = TimerFor(type & ~FrameType.Compressed); // compressed or raw, the same round trip
            int quickResends = 0;
            for (int attempt = 1, sends = 0; ;)
            {
                if (sends > 0)
                {
                    Statistics.AddRetransmission();
                }

                TimeSpan wait = timer.TimeoutFor(wire.Length, MinTimeout, Timeout);
                Statistics.SetRetransmitTimeout(wait);
                long sentAt = Stopwatch.GetTimestamp();
                Send(wire);
                sends++;
                ReplyOutcome outcome = AwaitReply(type, sequence, quickResends < QuickResends, wait, out Frame reply);
                if (outcome == ReplyOutcome.Reply)
                {
                    if (sends == 1)
                    {
                        timer.Sample(Stopwatch.GetElapsedTime(sentAt), wire.Length); // Karn: never from a resent request
                    }

                    Record(wire.Length + FrameCodec.Overhead + 2 + reply.Payload.Length, true);
                    (_previousSequence, _previousResends) = (sequence, sends - 1);
                    return reply.Payload;
                }

                Record(wire.Length, false);
                if (outcome == ReplyOutcome.Damaged)
                {
                    // Something was damaged on the wire: send again at once, without waiting out
                    // the timeout. Bounded, because stale damage reports can also arrive.
                    quickResends++;
                    continue;
                }

                Statistics.AddTimeout();
                timer.Backoff();
                if (_closed)
                {
                    break;
                }

                // A wait shorter than the full timeout was the adaptive timer's guess: resend, but do
                // not count it against the device.
                if (wait >= Timeout && ++attempt > Attempts)
                {
                    break;
                }

                if (wait >= Timeout)
                {
                    _waits?.Report(new LinkWait(_deviceName, type, sequence, attempt, Attempts, Timeout));
                }
            }

            string reason = _closed ? "the link was closed" : $"no valid reply within {Attempts} attempts of {Timeout.TotalMilliseconds:0} ms";
            throw new DeviceTimeoutException($"device '{_deviceName}' did not answer {type} request #{sequence}: {reason}");
        }
    }

    /// <summary>Stops the reader and closes the stream.</summary>
    public void Dispose()
    {
        _closed = true;
        _stream.Dispose();
        _reader.Join(TimeSpan.FromSeconds(2));
        _received.Dispose();
    }

    private void Send(byte[] wire)
    {
        try
        {
            _stream.Write(wire);
            _stream.Flush();
            Statistics.AddSent(wire.Length);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or TimeoutException)
        {
            throw new DeviceTimeoutException($"device '{_deviceName}' cannot be reached: {e.Message}");
        }
    }

    /// <summary>Waits for the reply to <paramref name="sequence"/>; damage is reported only while <paramref name="reportDamage"/>.</summary>
    private ReplyOutcome AwaitReply(FrameType type, byte sequence, bool reportDamage, TimeSpan timeout, out Frame reply)
    {
        reply = default;
        long deadline = Environment.TickCount64 + (long)Math.Ceiling(timeout.TotalMilliseconds); // immune to wall-clock jumps
        while (true)
        {
            TimeSpan left = TimeSpan.FromMilliseconds(deadline - Environment.TickCount64);
            if (left <= TimeSpan.Zero || (_closed && _received.Count == 0))
            {
                return ReplyOutcome.TimedOut;
            }

            if (!_received.TryTake(out Frame? item, left))
            {
                return ReplyOutcome.TimedOut;
            }

            if (item is { Type: FrameType.FrameError })
            {
                Statistics.AddFrameError();
            }

            if (item is not { } frame || frame.Type == FrameType.FrameError)
            {
                if (reportDamage)
                {
                    return ReplyOutcome.Damaged; // our request or its reply was damaged on the way
                }

                continue;
            }

            if (frame.Sequence != sequence)
            {
                // A late duplicate reply to an earlier request. A second reply to the previous request
                // means one of its resends was not needed: its loss is taken back.
                if (frame.Sequence == _previousSequence && _previousResends > 0)
                {
                    _previousResends--;
                    Statistics.AddSpuriousResend();
                    _framing.Forgive();
                    Statistics.SetFraming(_framing.PayloadSize, _framing.ByteErrorRate);
                }

                continue;
            }

            if (frame.Type == FrameType.Error)
            {
                var code = frame.Payload.Length > 0 ? (DeviceErrorCode)frame.Payload[0] : DeviceErrorCode.UnknownRequest;
                string message = frame.Payload.Length > 1 ? Encoding.UTF8.GetString(frame.Payload, 1, frame.Payload.Length - 1) : "no message";
                throw new DeviceErrorException(code, message);
            }

            if (frame.IsReplyTo(type))
            {
                reply = frame;
                return ReplyOutcome.Reply;
            }
        }
    }

    private RetransmitTimer TimerFor(FrameType type)
    {
        if (!_timers.TryGetValue(type, out RetransmitTimer? timer))
        {
            timer = new RetransmitTimer();
            _timers[type] = timer;
        }

        return timer;
    }

    private void Record(int wireBytes, bool delivered)
    {
        _framing.Record(wireBytes, delivered);
        Statistics.SetFraming(_framing.PayloadSize, _framing.ByteErrorRate);
    }

    private enum ReplyOutcome
    {
        Reply,
        Damaged,
        TimedOut,
    }

    private void ReadLoop()
    {
        var decoder = new FrameDecoder();
        var buffer = new byte[4096];
        try
        {
            while (!_closed)
            {
                int read = _stream.Read(buffer);
                if (read == 0)
                {
                    break;
                }

                Statistics.AddReceived(read);
                for (int i = 0; i < read; i++)
                {
                    switch (decoder.Push(buffer[i]))
                    {
                        case DecodeResult.Frame:
                            _received.Add(decoder.Frame);
                            break;
                        case DecodeResult.Corrupted:
                            Statistics.AddCorrupted();
                            _received.Add(null);
                            break;
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or TimeoutException)
        {
            // The stream closed or stalled under us; requests in flight report the silence.
        }
        finally
        {
            _closed = true;
        }
    }
}
