namespace CoDesign.Runtime.Link;

/// <summary>Error codes a device puts in the first payload byte of an <see cref="FrameType.Error"/> frame.</summary>
public enum DeviceErrorCode : byte
{
    /// <summary>The request type is unknown.</summary>
    UnknownRequest = 1,

    /// <summary>The payload is too short or inconsistent for its type.</summary>
    BadPayload = 2,

    /// <summary>An address range falls outside device memory.</summary>
    OutOfRange = 3,

    /// <summary>A committed image does not match its checksum in device memory.</summary>
    ImageChecksum = 4,

    /// <summary>No valid model image at the given address.</summary>
    NoModel = 5,

    /// <summary>The model cannot run: malformed instructions or buffers too small.</summary>
    ExecutionFault = 6,
}
