namespace CoDesign.Runtime.Compile;

/// <summary>
/// One piece of a device image: a DMA descriptor and the bytes it moves. The host keeps the bytes
/// until the device acknowledges them, then <see cref="Release"/> drops them (seed 001, claim 4).
/// </summary>
public sealed class ImageChunk(DmaDescriptor descriptor, byte[] payload)
{
    private byte[]? _payload = payload;

    /// <summary>Where the bytes go, relative to the image start.</summary>
    public DmaDescriptor Descriptor { get; } = descriptor;

    /// <summary>The bytes, or null once released.</summary>
    public byte[]? Payload => _payload;

    /// <summary>True once the device has confirmed this chunk and the host let go of it.</summary>
    public bool IsReleased => _payload is null;

    /// <summary>Host bytes this chunk still holds: its data and its descriptor.</summary>
    public long HostBytes => _payload is null ? 0 : _payload.Length + DmaDescriptor.Size;

    /// <summary>Drops the bytes; only call once the device has acknowledged them.</summary>
    public void Release() => _payload = null;
}
