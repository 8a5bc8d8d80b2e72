using CoDesign.Runtime.Deploy;

namespace CoDesign.Runtime.Devices;

/// <summary>A session and whatever runs the device behind it (a link server, a simulator process, a serial port).</summary>
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
