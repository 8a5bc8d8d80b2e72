namespace CoDesign.Runtime.Devices;

/// <summary>What a caller asks of a device it opens by name.</summary>
/// <param name="Name">The whole name, for messages: <c>serial:/dev/ttyUSB1@921600</c>.</param>
/// <param name="Argument">What follows the first colon, or null when there is none.</param>
/// <param name="PeCount">PEs for a device whose shape is chosen by the host (the emulator); others refuse a count they do not have.</param>
/// <param name="Profile">A shape that replaces an emulated device's default.</param>
/// <param name="Timeout">The reply timeout per attempt, when not the device's own default.</param>
/// <param name="Trace">A file for the run's waveform (a simulated device's VCD), or null for none.</param>
public sealed record DeviceRequest(string Name, string? Argument, int? PeCount = null, DeviceProfile? Profile = null, TimeSpan? Timeout = null, string? Trace = null)
{
    /// <summary>The shape an emulated device takes: <see cref="Profile"/> or else <paramref name="standard"/>, with <see cref="PeCount"/> when given.</summary>
    public DeviceProfile ShapeOr(DeviceProfile standard)
    {
        DeviceProfile profile = Profile ?? standard;
        return PeCount is { } pes ? profile with { PeCount = pes } : profile;
    }
}
