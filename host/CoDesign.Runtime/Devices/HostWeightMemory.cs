namespace CoDesign.Runtime.Devices;

/// <summary>A weight region in host memory (the emulator's, the CPU device's).</summary>
public sealed class HostWeightMemory : IWeightMemory
{
    private readonly byte[] _bytes;

    /// <summary>
    /// Creates a region of <paramref name="length"/> bytes that starts with <paramref name="baked"/>
    /// and zeros after it, as a board whose bitstream initialises its weight memory with a model.
    /// </summary>
    public HostWeightMemory(int length, ReadOnlySpan<byte> baked = default)
    {
        if (baked.Length > length)
        {
            throw new ArgumentException($"{baked.Length} baked bytes do not fit the {length}-byte weight region", nameof(baked));
        }

        _bytes = new byte[length];
        baked.CopyTo(_bytes);
    }

    /// <inheritdoc />
    public int Length => _bytes.Length;

    /// <inheritdoc />
    public void Write(int address, ReadOnlySpan<byte> data) => data.CopyTo(_bytes.AsSpan(address));

    /// <inheritdoc />
    public void Read(int address, Span<byte> destination) => _bytes.AsSpan(address, destination.Length).CopyTo(destination);
}
