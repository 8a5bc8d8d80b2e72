namespace CoDesign.Runtime.Devices;

/// <summary>
/// A device's persistent weight region as its link server sees it: DMA writes land here, commits read
/// an image back to check its CRC-32. Host memory for the emulator and the CPU, GPU memory for a GPU,
/// where a write returns once the upload is done (so its acknowledgement confirms it).
/// </summary>
public interface IWeightMemory
{
    /// <summary>Bytes in the region.</summary>
    int Length { get; }

    /// <summary>Copies <paramref name="data"/> to <paramref name="address"/>; the caller has checked the range.</summary>
    void Write(int address, ReadOnlySpan<byte> data);

    /// <summary>Copies <paramref name="destination"/>'s length of bytes from <paramref name="address"/>; the caller has checked the range.</summary>
    void Read(int address, Span<byte> destination);
}
