using CoDesign.Runtime.Deploy;
using CoDesign.Runtime.Devices.Serial;

namespace CoDesign.Runtime.Devices;

/// <summary>
/// Opens a device by name and returns a connected <see cref="DeviceSession"/>. Known names:
/// <c>emulator</c> (the C# device on an in-memory link), <c>emulator:sequential</c> (the same, counting
/// the cycles of the board builds' sequential layer engine) and <c>serial:&lt;port&gt;[@&lt;baud&gt;]</c>
/// (a device on a serial port, e.g. <c>serial:/dev/ttyUSB1</c> for an iCEBreaker at 3,000,000 baud,
/// or <c>serial:/dev/ttyUSB1@921600</c>). Hardware backends join here.
/// </summary>
public static class DeviceConnector
{
    /// <summary>The prefix of serial device names.</summary>
    public const string SerialPrefix = "serial:";

    /// <summary>Device names this build can open; <c>serial:&lt;port&gt;[@&lt;baud&gt;]</c> stands for any serial port.</summary>
    public static IReadOnlyList<string> Known { get; } = ["emulator", SequentialEmulator, "serial:<port>[@<baud>]"];

    /// <summary>The emulator counting the cycles of the board builds' sequential layer engine.</summary>
    public const string SequentialEmulator = "emulator:sequential";

    /// <summary>
    /// Opens <paramref name="name"/>. For the emulator, <paramref name="emulatorProfile"/> replaces its
    /// default shape and <paramref name="peCount"/> its PE count; a device on a serial port reports its
    /// own shape and ignores both. <paramref name="timeout"/> is the reply timeout per attempt: by
    /// default 2 s for the emulator, and for a serial port 5 s plus the time two worst-case 4 KiB
    /// frames take on the wire at its rate (a request and its reply, at 10 bits per byte).
    /// Throws <see cref="ArgumentException"/> for a name it cannot parse or a baud rate that is not a positive whole number,
    /// <see cref="IOException"/> (naming the port) when the port cannot be opened, and
    /// <see cref="Link.DeviceTimeoutException"/> (naming the device) when nothing answers;
    /// <paramref name="waits"/> hears of each resend on the way there.
    /// </summary>
    public static ConnectedDevice Open(string name, int? peCount = null, DeviceProfile? emulatorProfile = null, TimeSpan? timeout = null, IProgress<Link.LinkWait>? waits = null)
    {
        switch (name)
        {
            case "emulator" or SequentialEmulator:
                DeviceProfile profile = emulatorProfile ?? DeviceProfile.EmulatorDefault;
                if (peCount is { } pes)
                {
                    profile = profile with { PeCount = pes };
                }

                EmulatedEngine engine = name == SequentialEmulator ? EmulatedEngine.SequentialEngine : EmulatedEngine.PeArray;
                (EmulatorDevice device, Stream hostEnd) = EmulatorDevice.Start(profile, engine: engine);
                return new ConnectedDevice(DeviceSession.Open(hostEnd, name, timeout ?? TimeSpan.FromSeconds(2), waits: waits), device);
            case not null when name.StartsWith(SerialPrefix, StringComparison.Ordinal):
                return OpenSerial(name, timeout, waits);
            default:
                throw new ArgumentException($"unknown device '{name}'; known devices: {string.Join(", ", Known)} (e.g. serial:/dev/ttyUSB1, serial:/dev/ttyUSB1@921600; default {SerialDevice.DefaultBaudRate} baud)", nameof(name));
        }
    }

    /// <summary>
    /// Splits a serial device name into port path and baud rate: <c>serial:/dev/ttyUSB1</c> is
    /// <c>/dev/ttyUSB1</c> at <see cref="SerialDevice.DefaultBaudRate"/>, <c>serial:/dev/ttyUSB1@921600</c>
    /// the same port at 921,600 baud. Throws <see cref="ArgumentException"/> for a malformed name.
    /// </summary>
    public static (string Port, int BaudRate) ParseSerialName(string name) => SerialDevice.ParseSerialName(name);

    private static ConnectedDevice OpenSerial(string name, TimeSpan? timeout, IProgress<Link.LinkWait>? waits) => SerialDevice.Open(name, timeout, waits);
}

/// <summary>A session and whatever runs the device behind it (an emulator thread, a simulator process, a serial port).</summary>
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
