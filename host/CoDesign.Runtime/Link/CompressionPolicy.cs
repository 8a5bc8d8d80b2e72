using System.Diagnostics;

namespace CoDesign.Runtime.Link;

/// <summary>
/// Decides, per request, whether its payload travels <see cref="ZeroRunCodec"/>-compressed (seed
/// 000c's decider). A payload is sent compressed only when the device advertises
/// <see cref="LinkCapabilities.ZeroRunCodec"/>, its compressed wire bytes (byte stuffing counted)
/// are fewer than its raw ones, and the link time they save at the device's baud rate exceeds what
/// compressing costs: the host's encode time (the median per byte of the last encodes, each timed)
/// plus the device's decode cycles (<see cref="DecodeCyclesPerByte"/> per expanded byte at its
/// clock). So a request is never larger on the wire than raw, and an in-memory link (baud 0) is
/// never compressed. Thread-safe.
/// </summary>
public sealed class CompressionPolicy
{
    /// <summary>
    /// Device cycles per expanded byte: the RTL's decoder writes one byte per cycle. It works while
    /// the frame arrives, so this is an upper bound on the delay it adds.
    /// </summary>
    public const int DecodeCyclesPerByte = 1;

    /// <summary>Transfers skipped as unprofitable between two encodes that measure again, so one slow measurement cannot switch compression off for good.</summary>
    public const int ProbeInterval = 32;

    /// <summary>Encodes whose timing the estimate of the encode cost uses: the median of these ignores a few preempted ones.</summary>
    public const int EncodeSamples = 15;

    private readonly DeviceProfile _device;
    private readonly Lock _gate = new();
    private readonly double[] _samples = new double[EncodeSamples];
    private int _sampleCount;
    private int _nextSample;
    private int _skipped;

    /// <summary>A policy for the device described by <paramref name="device"/>.</summary>
    public CompressionPolicy(DeviceProfile device)
    {
        _device = device;

        // The first call compiles the encoder: that time is not what an encode costs.
        ZeroRunCodec.Encode([0, 1, 0, 0, 2, 3]);
    }

    /// <summary>False to send every payload raw (<c>codesign infer --no-compress</c>); true by default.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Whether the device decodes compressed payloads (its Hello said so).</summary>
    public bool DeviceDecodes => (_device.Capabilities & LinkCapabilities.ZeroRunCodec) != 0;

    /// <summary>What was decided so far, per request type.</summary>
    public CompressionStatistics Statistics { get; } = new();

    /// <summary>The measured host encode time per payload byte (median of the last <see cref="EncodeSamples"/> encodes); NaN before the first encode.</summary>
    public double EncodeSecondsPerByte
    {
        get
        {
            lock (_gate)
            {
                if (_sampleCount == 0)
                {
                    return double.NaN;
                }

                double[] sorted = _samples[.._sampleCount];
                Array.Sort(sorted);
                return sorted[sorted.Length / 2];
            }
        }
    }

    /// <summary>Why payloads travel as they do, in words, for reports.</summary>
    public string Describe() =>
        !Enabled ? "off (--no-compress)"
        : !DeviceDecodes ? $"off: device '{_device.Name}' does not decode compressed payloads"
        : _device.BaudRate == 0 ? "off: an in-memory link saves no time by carrying fewer bytes"
        : $"zero-run codec, per request when it saves link time at {_device.BaudRate / 1e6:0.##} Mbaud";

    /// <summary>
    /// The type and payload to send for a request of <paramref name="type"/> with raw
    /// <paramref name="payload"/>: the payload itself, or its tokens with <see cref="FrameType.Compressed"/>
    /// set on the type. The decision is counted in <see cref="Statistics"/>.
    /// </summary>
    public (FrameType Type, byte[] Payload) Choose(FrameType type, byte[] payload)
    {
        if (!Enabled || !DeviceDecodes || _device.BaudRate == 0 || payload.Length == 0 || !CouldPay(payload.Length))
        {
            Statistics.Record(type, payload.Length, payload.Length, false, TimeSpan.Zero);
            return (type, payload);
        }

        long start = Stopwatch.GetTimestamp();
        byte[] encoded = ZeroRunCodec.Encode(payload);
        TimeSpan encodeTime = Stopwatch.GetElapsedTime(start);
        double perByte = encodeTime.TotalSeconds / payload.Length;
        lock (_gate)
        {
            // One encode's time can be far off (a preemption on a busy host, the first call's JIT):
            // the estimate is the median of the last few.
            _samples[_nextSample] = perByte;
            _nextSample = (_nextSample + 1) % EncodeSamples;
            _sampleCount = Math.Min(_sampleCount + 1, EncodeSamples);
        }

        long saved = WireBytes(payload) - WireBytes(encoded);
        bool compress = saved > 0 && _device.LinkSeconds(saved) > Cost(payload.Length);
        Statistics.Record(type, payload.Length, compress ? encoded.Length : payload.Length, compress, encodeTime);
        return compress ? (type | FrameType.Compressed, encoded) : (type, payload);
    }

    /// <summary>Seconds compressing a payload of <paramref name="length"/> bytes costs by the measurements so far: host encode plus device decode.</summary>
    public double Cost(int length)
    {
        double encode = EncodeSecondsPerByte;
        return ((double.IsNaN(encode) ? 0 : encode) * length) + ((double)length * DecodeCyclesPerByte / _device.ClockHz);
    }

    // Even a payload that vanished entirely would save only its own wire time: when the measured
    // cost is above that, encoding is not even tried.
    private bool CouldPay(int length)
    {
        if (_device.LinkSeconds(length) > Cost(length))
        {
            return true;
        }

        return Interlocked.Increment(ref _skipped) % ProbeInterval == 0;
    }

    /// <summary>Bytes <paramref name="payload"/> takes on the wire: flag and escape bytes go twice.</summary>
    private static long WireBytes(ReadOnlySpan<byte> payload) =>
        payload.Length + payload.Count(FrameCodec.Flag) + payload.Count(FrameCodec.Escape);
}
