namespace CoDesign.Runtime.Link;

/// <summary>
/// Frame types of the link protocol. A reply carries the request's type with bit 7 set, or
/// <see cref="Error"/> when the device refused the request, or <see cref="FrameError"/> when the
/// device received a frame it could not trust (bad checksum or framing).
/// </summary>
public enum FrameType : byte
{
    /// <summary>Asks the device to describe itself; the reply carries a <see cref="DeviceProfile"/>.</summary>
    Hello = 0x01,

    /// <summary>A DMA descriptor followed by the data it moves into device memory.</summary>
    Write = 0x02,

    /// <summary>Marks a model image complete: the device checks its checksum in memory and registers it.</summary>
    Commit = 0x03,

    /// <summary>Runs inference on a registered model for a batch of inputs.</summary>
    Run = 0x04,

    /// <summary>Forgets a registered model so its memory can be reused.</summary>
    Unload = 0x05,

    /// <summary>Soft reset: clears the device's working state; the persistent weight region is kept.</summary>
    Reset = 0x06,

    /// <summary>Reads the device's status counters.</summary>
    Status = 0x07,

    /// <summary>
    /// Bit of a request's type that marks its payload as <see cref="ZeroRunCodec"/> tokens. The
    /// device expands them and executes the request as if sent raw (its reply carries the plain
    /// type), so only devices whose Hello advertises <see cref="LinkCapabilities.ZeroRunCodec"/> get it.
    /// </summary>
    Compressed = 0x40,

    /// <summary>Bit that marks a successful reply.</summary>
    ReplyFlag = 0x80,

    /// <summary>The device refused the request; the payload is an error code and a message.</summary>
    Error = 0xFF,

    /// <summary>The device saw a corrupted frame and asks for it again.</summary>
    FrameError = 0xFE,
}
