using CoDesign.Runtime.Deploy;
using CoDesign.Runtime.Link;

namespace CoDesign.Runtime.Devices;

/// <summary>
/// A device's end of the framed link before any session: the stream a host talks on, whatever runs
/// the device behind it, and the reply timeout that suits it. <see cref="DeviceRegistry.Open"/> puts a
/// session on it; <c>codesign serve</c> relays it to a pseudo-terminal instead.
/// </summary>
/// <param name="HostEnd">The stream the host writes requests to and reads replies from.</param>
/// <param name="Device">What runs the device (a link server, a simulator process, the port itself); disposed after the stream.</param>
/// <param name="ReplyTimeout">The reply timeout per attempt that suits this device and its link.</param>
public sealed record DeviceLink(Stream HostEnd, IDisposable Device, TimeSpan ReplyTimeout) : IDisposable
{
    /// <summary>
    /// Opens a session named <paramref name="name"/> on this link (reply timeout <paramref name="timeout"/>,
    /// else <see cref="ReplyTimeout"/>); the session and the link close together. When the device does
    /// not answer, the link is closed and the error passes on.
    /// </summary>
    public ConnectedDevice Connect(string name, TimeSpan? timeout = null, IProgress<LinkWait>? waits = null)
    {
        try
        {
            return new ConnectedDevice(DeviceSession.Open(HostEnd, name, timeout ?? ReplyTimeout, waits: waits), this);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Closes the stream, then stops the device.</summary>
    public void Dispose()
    {
        HostEnd.Dispose();
        if (!ReferenceEquals(Device, HostEnd))
        {
            Device.Dispose();
        }
    }
}
