namespace CoDesign.Runtime.Link;

/// <summary>
/// What a device can do on the link beyond the base protocol: byte 29 of its Hello reply
/// (<see cref="DeviceProfile.Capabilities"/>). A device built before a capability existed sends 0
/// there, so a host never uses a capability an old device cannot handle.
/// </summary>
[Flags]
public enum LinkCapabilities : byte
{
    /// <summary>The base protocol only: every payload travels raw.</summary>
    None = 0x00,

    /// <summary>
    /// The device decodes requests whose type carries <see cref="FrameType.Compressed"/>: their
    /// payload is <see cref="ZeroRunCodec"/> tokens, expanded before the request is executed.
    /// </summary>
    ZeroRunCodec = 0x01,
}
