using System.Globalization;
using CoDesign.Runtime.Deploy;

namespace CoDesign.Runtime.Devices.Serial;

/// <summary>
/// A device on a serial port: <c>serial:/dev/ttyUSB1</c> for an iCEBreaker at 3,000,000 baud, or
/// <c>serial:/dev/ttyUSB1@921600</c>. Its reply timeout allows for frames on the wire at its rate.
/// </summary>
public static class SerialDevice
{
    /// <summary>The prefix of serial device names.</summary>
    public const string SerialPrefix = "serial:";

    /// <summary>
    /// Splits a serial device name into port path and baud rate: <c>serial:/dev/ttyUSB1</c> is
    /// <c>/dev/ttyUSB1</c> at <see cref="SerialPortStream.DefaultBaudRate"/>, <c>serial:/dev/ttyUSB1@921600</c>
    /// the same port at 921,600 baud. Throws <see cref="ArgumentException"/> for a malformed name.
    /// </summary>
    public static (string Port, int BaudRate) ParseSerialName(string name)
    {
        if (!name.StartsWith(SerialPrefix, StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{name}' is not a serial device name; it starts with '{SerialPrefix}', e.g. serial:/dev/ttyUSB1@3000000", nameof(name));
        }

        string rest = name[SerialPrefix.Length..];
        string port = rest;
        int baudRate = SerialPortStream.DefaultBaudRate;
        int at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            port = rest[..at];
            string rate = rest[(at + 1)..];
            if (!int.TryParse(rate, NumberStyles.None, CultureInfo.InvariantCulture, out baudRate))
            {
                throw new ArgumentException($"device '{name}': the baud rate after '@' must be a whole number of bits per second, e.g. {SerialPrefix}{port}@{SerialPortStream.DefaultBaudRate}; got '{rate}'", nameof(name));
            }
        }

        if (port.Length == 0)
        {
            throw new ArgumentException($"device '{name}' names no port; e.g. {SerialPrefix}/dev/ttyUSB1", nameof(name));
        }

        return (port, baudRate);
    }

    /// <summary>Opens the serial device <paramref name="request"/> names (the registration's entry point).</summary>
    public static ConnectedDevice Open(DeviceRequest request)
    {
        string name = request.Name;
        TimeSpan? timeout = request.Timeout;
        IProgress<Link.LinkWait>? waits = request.Waits;
        (string port, int baudRate) = ParseSerialName(name);
        if (!OperatingSystem.IsLinux())
        {
            throw new ArgumentException($"device '{name}': serial ports are supported on Linux only (termios); this is {Environment.OSVersion}", nameof(name));
        }

        if (!SerialPortStream.SupportedBaudRates.Contains(baudRate))
        {
            throw new ArgumentException($"device '{name}': {baudRate} baud is not a standard serial rate; supported: {string.Join(", ", SerialPortStream.SupportedBaudRates)}", nameof(name));
        }

        var stream = new SerialPortStream(port, baudRate);
        try
        {
            // Two worst-case frames (every byte escaped) of 4 KiB, the iCEBreaker's frame limit: at
            // 3 Mbaud 55 ms, at 9600 baud 17 s, which a fixed timeout would mistake for silence.
            double wireSeconds = 2 * (2.0 * (4096 + 16) * 10 / baudRate);
            TimeSpan replyTimeout = timeout ?? TimeSpan.FromSeconds(5 + wireSeconds);
            return new ConnectedDevice(DeviceSession.Open(stream, name, replyTimeout, waits: waits), stream);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }
}
