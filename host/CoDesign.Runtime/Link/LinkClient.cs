using System.Collections.Concurrent;
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
    private const int MaxQuickResends = 16;
    private readonly IProgress<LinkWait>? _waits;
    private byte _nextSequence = 1;
    private volatile bool _closed;

    /// <summary>Starts reading replies from <paramref name="stream"/>.</summary>
    /// <param name="stream">A duplex byte stream to the device.</param>
    /// <param name="deviceName">Names the device in error messages.</param>
    /// <param name="timeout">How long to wait for each reply before sending the request again.</param>
    /// <param name="attempts">How many times a request is sent before the device is declared silent.</param>
    /// <param name="waits">Hears of every request sent again because no reply came in time, as it happens.</param>
    public LinkClient(Stream stream, string deviceName, TimeSpan timeout, int attempts = 4, IProgress<LinkWait>? waits = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(attempts);
        _stream = stream;
        _deviceName = deviceName;
        Timeout = timeout;
        Attempts = attempts;
        _waits = waits;
        _reader = new Thread(ReadLoop) { IsBackground = true, Name = $"link reader ({deviceName})" };
        _reader.Start();
    }

    /// <summary>Reply timeout per attempt.</summary>
    public TimeSpan Timeout { get; set; }

    /// <summary>Sends per request before giving up.</summary>
    public int Attempts { get; }

    /// <summary>Byte and error counters.</summary>
    public LinkStatistics Statistics { get; } = new();

    /// <summary>
    /// Sends a request and returns the payload of the device's reply. Throws
    /// <see cref="DeviceErrorException"/> when the device refuses it and
    /// <see cref="DeviceTimeoutException"/> when no valid reply comes after <see cref="Attempts"/> sends.
    /// </summary>
    public byte[] Request(FrameType type, byte[] payload)
    {
        lock (_gate)
        {
            byte sequence = _nextSequence;
            _nextSequence = (byte)(_nextSequence == 255 ? 1 : _nextSequence + 1);
            byte[] wire = FrameCodec.Encode(new Frame(type, sequence, payload));
            int quickResends = 0;
            for (int attempt = 1, sends = 0; attempt <= Attempts; sends++)
            {
                if (sends > 0)
                {
                    Statistics.AddRetransmission();
                }

                Send(wire);
                switch (AwaitReply(type, sequence, quickResends < MaxQuickResends, out Frame reply))
                {
                    case ReplyOutcome.Reply:
                        return reply.Payload;
                    case ReplyOutcome.Damaged:
                        // Something was damaged on the wire: send again at once, without waiting out
                        // the timeout. Bounded, because stale damage reports can also arrive.
                        quickResends++;
                        break;
                    default:
                        attempt++;
                        if (attempt <= Attempts && !_closed)
                        {
                            _waits?.Report(new LinkWait(_deviceName, type, sequence, attempt, Attempts, Timeout));
                        }

                        break;
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
    private ReplyOutcome AwaitReply(FrameType type, byte sequence, bool reportDamage, out Frame reply)
    {
        reply = default;
        long deadline = Environment.TickCount64 + (long)Timeout.TotalMilliseconds; // immune to wall-clock jumps
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
                continue; // a late duplicate reply to an earlier request
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
