using CoDesign.Runtime.Deploy;

namespace CoDesign.Runtime.Devices;

/// <summary>
/// Opens a device by name and returns a connected <see cref="DeviceSession"/>. Known names:
/// <c>emulator</c> (the C# device on an in-memory link). Hardware backends join here.
/// </summary>
public static class DeviceConnector
{
    /// <summary>Device names this build can open.</summary>
    public static IReadOnlyList<string> Known { get; } = ["emulator"];

    /// <summary>
    /// Opens <paramref name="name"/>. For the emulator, <paramref name="emulatorProfile"/> replaces its
    /// default shape and <paramref name="peCount"/> its PE count.
    /// </summary>
    public static ConnectedDevice Open(string name, int? peCount = null, DeviceProfile? emulatorProfile = null, TimeSpan? timeout = null)
    {
        switch (name)
        {
            case "emulator":
                DeviceProfile profile = emulatorProfile ?? DeviceProfile.EmulatorDefault;
                if (peCount is { } pes)
                {
                    profile = profile with { PeCount = pes };
                }

                (EmulatorDevice device, Stream hostEnd) = EmulatorDevice.Start(profile);
                return new ConnectedDevice(DeviceSession.Open(hostEnd, name, timeout ?? TimeSpan.FromSeconds(2)), device);
            default:
                throw new ArgumentException($"unknown device '{name}'; known devices: {string.Join(", ", Known)}", nameof(name));
        }
    }
}

/// <summary>A session and whatever runs the device behind it (an emulator thread, a simulator process).</summary>
/// <param name="Session">The host's session with the device.</param>
/// <param name="Backend">The device itself, disposed after the session.</param>
public sealed record ConnectedDevice(DeviceSession Session, IDisposable Backend) : IDisposable
{
    /// <summary>Closes the session, then stops the device.</summary>
    public void Dispose()
    {
        Session.Dispose();
        Backend.Dispose();
    }
}
