using System.Buffers.Binary;
using System.Text;
using CoDesign.Runtime.Link;

namespace CoDesign.Runtime;

/// <summary>
/// What a device tells the host in its reply to <see cref="Link.FrameType.Hello"/>: its compute and
/// memory resources and link limits. The compiler shapes device images to it.
/// </summary>
/// <param name="Name">Device name, e.g. "emulator".</param>
/// <param name="PeCount">Processing elements; rows are interleaved over them.</param>
/// <param name="BusBits">Memory word width of the access paths: 32 or 64.</param>
/// <param name="PersistentBytes">Size of the persistent weight region that models are deployed into.</param>
/// <param name="ScratchBytes">Size of the activation scratch memory.</param>
/// <param name="MaxPayload">Largest frame payload the device accepts.</param>
/// <param name="ClockHz">Device clock, for converting cycles to time.</param>
/// <param name="BaudRate">Link rate in bits per second (10 bits per byte on a UART); 0 for an in-memory link.</param>
/// <param name="Cycles">What the cycles in Run replies are: the hardware's own (the default, and what the
/// RTL reports), a cost model's, or nanoseconds measured on the host.</param>
/// <param name="Capabilities">What the device's link does beyond the base protocol: Hello byte 29 (0 from older devices), e.g. decoding compressed payloads.</param>
/// <param name="Features">What its engine does beyond whole models: Hello byte 30 (0 from older devices), e.g. column blocks for a memory plan.</param>
/// <param name="ModelSlots">How many models (a memory plan's blocks each count as one) it registers at once: Hello byte 31;
/// 0 when it sets no limit (the C# devices by default) or was built before the field existed.</param>
public sealed record DeviceProfile(string Name, int PeCount, int BusBits, int PersistentBytes, int ScratchBytes, int MaxPayload, long ClockHz, long BaudRate, CycleSource Cycles = CycleSource.Hardware, LinkCapabilities Capabilities = LinkCapabilities.None, Devices.EngineFeatures Features = Devices.EngineFeatures.None, int ModelSlots = 0)
{
    /// <summary>The clock of a device that measures time on the host: its cycles are nanoseconds.</summary>
    public static long NanosecondClockHz => 1_000_000_000;

    /// <summary>Protocol version this build speaks.</summary>
    public const ushort ProtocolVersion = 1;

    /// <summary>
    /// The emulator's default: shaped like an iCEBreaker (UP5K: 128 KiB SPRAM for weights, EBR for
    /// activations) with 4 PEs on a 32-bit bus at 24 MHz, linked at 3 Mbaud; it runs column blocks for memory plans.
    /// </summary>
    public static DeviceProfile EmulatorDefault { get; } = new("emulator", 4, 32, 128 * 1024, 4 * 1024, 4096, 24_000_000, 3_000_000, CycleSource.CostModel, Features: Devices.EngineFeatures.ColumnBlocks);

    /// <summary>The profile in words, for messages: "emulator: 4 PEs, 32-bit bus, 131,072 bytes of weight memory, ...".</summary>
    public string Describe() =>
        $"'{Name}': {PeCount} PEs, {BusBits}-bit bus, {PersistentBytes:N0} bytes of weight memory, {ScratchBytes:N0} bytes of activation memory, " +
        $"frames up to {MaxPayload:N0} bytes, {ClockHz / 1e6:0.##} MHz, {BaudRate:N0} baud";

    /// <summary>Bytes per memory word.</summary>
    public int BusBytes => BusBits / 8;

    /// <summary>Seconds the link needs for <paramref name="bytes"/> wire bytes (start bit, 8 data bits, stop bit).</summary>
    public double LinkSeconds(long bytes) => BaudRate == 0 ? 0 : bytes * 10.0 / BaudRate;

    /// <summary>The reply payload of a Hello request.</summary>
    public byte[] Encode()
    {
        byte[] name = Encoding.ASCII.GetBytes(Name);
        var payload = new byte[32 + 1 + name.Length];
        Span<byte> p = payload;
        BinaryPrimitives.WriteUInt16LittleEndian(p, ProtocolVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(p[2..], (ushort)PeCount);
        BinaryPrimitives.WriteUInt16LittleEndian(p[4..], (ushort)BusBits);
        BinaryPrimitives.WriteUInt32LittleEndian(p[8..], (uint)PersistentBytes);
        BinaryPrimitives.WriteUInt32LittleEndian(p[12..], (uint)ScratchBytes);
        BinaryPrimitives.WriteUInt32LittleEndian(p[16..], (uint)MaxPayload);
        BinaryPrimitives.WriteUInt32LittleEndian(p[20..], (uint)ClockHz);
        BinaryPrimitives.WriteUInt32LittleEndian(p[24..], (uint)BaudRate);
        payload[28] = (byte)Cycles;
        payload[29] = (byte)Capabilities;
        payload[30] = (byte)Features;
        payload[31] = (byte)Math.Min(ModelSlots, byte.MaxValue); // more than 255 is as good as no limit for a plan
        payload[32] = (byte)name.Length;
        name.CopyTo(payload, 33);
        return payload;
    }

    /// <summary>Parses a Hello reply; throws <see cref="InvalidDataException"/> for a malformed or foreign one.</summary>
    public static DeviceProfile Decode(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < 33 || payload.Length != 33 + payload[32])
        {
            throw new InvalidDataException($"device description of {payload.Length} bytes is malformed");
        }

        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(payload);
        if (version != ProtocolVersion)
        {
            throw new InvalidDataException($"device speaks protocol version {version}; this host speaks {ProtocolVersion}");
        }

        var profile = new DeviceProfile(
            Encoding.ASCII.GetString(payload.Slice(33, payload[32])),
            BinaryPrimitives.ReadUInt16LittleEndian(payload[2..]),
            BinaryPrimitives.ReadUInt16LittleEndian(payload[4..]),
            (int)BinaryPrimitives.ReadUInt32LittleEndian(payload[8..]),
            (int)BinaryPrimitives.ReadUInt32LittleEndian(payload[12..]),
            (int)BinaryPrimitives.ReadUInt32LittleEndian(payload[16..]),
            BinaryPrimitives.ReadUInt32LittleEndian(payload[20..]),
            BinaryPrimitives.ReadUInt32LittleEndian(payload[24..]),
            (CycleSource)payload[28],
            (LinkCapabilities)payload[29], // bits this host does not know are kept and never used
            (Devices.EngineFeatures)payload[30],
            payload[31]);
        if (profile.PeCount == 0 || profile.BusBits is not (32 or 64) || profile.MaxPayload < 64 || !Enum.IsDefined(profile.Cycles))
        {
            throw new InvalidDataException($"device description is inconsistent: {profile.Describe()}");
        }

        return profile;
    }
}
