using System.Globalization;
using System.IO.Ports;

namespace CoDesign.Runtime.Devices.Serial;

/// <summary>
/// A device on a serial port, named <c>serial:&lt;port&gt;[@&lt;baud&gt;]</c>: e.g. <c>serial:/dev/ttyUSB1</c>,
/// an iCEBreaker's FT2232H at 3,000,000 baud, or <c>serial:/dev/ttyUSB1@921600</c>. The port is opened
/// through System.IO.Ports raw (no echo, no line editing, no translation), 8 data bits, no parity, 1 stop
/// bit, no flow control, at any positive whole rate the driver accepts.
/// </summary>
public static class SerialDevice
{
    /// <summary>The prefix of serial device names.</summary>
    public const string Prefix = "serial:";

    /// <summary>The rate of the iCEBreaker's FT2232H UART link, in bits per second.</summary>
    public const int DefaultBaudRate = 3_000_000;

    /// <summary>
    /// Opens the port <paramref name="name"/> names and returns the link to the device behind it.
    /// <paramref name="timeout"/> is the reply timeout per attempt: by default 5 s plus the time two
    /// worst-case 4 KiB frames take on the wire at the port's rate (a request and its reply, at 10 bits
    /// per byte); a write that the port does not take within it fails too, so a line that hung up never
    /// blocks the host. Throws <see cref="ArgumentException"/> for a name it cannot parse and
    /// <see cref="IOException"/> naming the port when it cannot be opened.
    /// </summary>
    public static DeviceLink Connect(string name, TimeSpan? timeout)
    {
        (string portPath, int baudRate) = ParseSerialName(name);

        // Two worst-case frames (every byte escaped) of 4 KiB, the iCEBreaker's frame limit: at
        // 3 Mbaud 55 ms, at 9600 baud 17 s, which a fixed timeout would mistake for silence.
        double wireSeconds = 2 * (2.0 * (4096 + 16) * 10 / baudRate);
        TimeSpan replyTimeout = timeout ?? TimeSpan.FromSeconds(5 + wireSeconds);
        Stream port = OpenPort(portPath, baudRate);
        port.WriteTimeout = (int)Math.Clamp(replyTimeout.TotalMilliseconds, 1, int.MaxValue);
        return new DeviceLink(port, port, replyTimeout);
    }

    /// <summary>
    /// Opens <paramref name="portPath"/> at <paramref name="baudRate"/>, raw 8N1 with no flow control,
    /// discards whatever waited in its buffers (a board's boot chatter, an earlier session's leftovers),
    /// and returns its stream (System.IO.Ports' <see cref="SerialPort.BaseStream"/>), the link's stream: a
    /// read waits for at least one byte (forever by default) and returns what has arrived; disposing the
    /// stream closes the port and ends a waiting read or write with <see cref="ObjectDisposedException"/>,
    /// and a line that hangs up ends a waiting read the same way (writes then fail after their
    /// <see cref="Stream.WriteTimeout"/>, infinite by default).
    /// Throws <see cref="ArgumentOutOfRangeException"/> for a rate that is not positive and
    /// <see cref="IOException"/> naming the port, what is wrong and what to check when it cannot be
    /// opened (missing, not accessible, busy, not a terminal, a rate the driver refuses).
    /// </summary>
    /// <param name="portPath">The tty, e.g. <c>/dev/ttyUSB1</c> or a <c>/dev/serial/by-id/...</c> link.</param>
    /// <param name="baudRate">Bits per second, any positive whole number; non-standard rates too.</param>
    public static Stream OpenPort(string portPath, int baudRate = DefaultBaudRate)
    {
        ArgumentException.ThrowIfNullOrEmpty(portPath);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(baudRate);
        if (Directory.Exists(portPath))
        {
            throw new IOException($"cannot open serial port '{portPath}': it is a directory; a serial port is a device such as /dev/ttyUSB1");
        }

        var port = new SerialPort(portPath, baudRate, Parity.None, 8, StopBits.One) { Handshake = Handshake.None };
        try
        {
            port.Open();
            port.DiscardInBuffer();
            port.DiscardOutBuffer();

            // The stream, not the SerialPort, is handed out: SerialPort.Dispose first waits until every
            // queued write has gone, which a write blocked on a stalled line never does.
            return port.BaseStream;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            if (port.IsOpen)
            {
                port.BaseStream.Dispose();
            }

            port.Dispose();
            throw new IOException($"cannot open serial port '{portPath}' at {baudRate} baud: {Reason(e)}", e);
        }
    }

    /// <summary>
    /// Splits a serial device name into port path and baud rate: <c>serial:/dev/ttyUSB1</c> is
    /// <c>/dev/ttyUSB1</c> at <see cref="DefaultBaudRate"/>, <c>serial:/dev/ttyUSB1@921600</c> the same
    /// port at 921,600 baud. Throws <see cref="ArgumentException"/> for a malformed name or a rate that
    /// is not a positive whole number.
    /// </summary>
    public static (string Port, int BaudRate) ParseSerialName(string name)
    {
        if (!name.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{name}' is not a serial device name; it starts with '{Prefix}', e.g. serial:/dev/ttyUSB1@{DefaultBaudRate}", nameof(name));
        }

        string rest = name[Prefix.Length..];
        string port = rest;
        int baudRate = DefaultBaudRate;
        int at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            port = rest[..at];
            string rate = rest[(at + 1)..];
            if (!int.TryParse(rate, NumberStyles.None, CultureInfo.InvariantCulture, out baudRate) || baudRate == 0)
            {
                throw new ArgumentException($"device '{name}': the baud rate after '@' must be a positive whole number of bits per second, e.g. {Prefix}{port}@{DefaultBaudRate}; got '{rate}'", nameof(name));
            }
        }

        if (port.Length == 0)
        {
            throw new ArgumentException($"device '{name}' names no port; e.g. {Prefix}/dev/ttyUSB1", nameof(name));
        }

        return (port, baudRate);
    }

    /// <summary>What went wrong, in words, with what to check; the system's own text only when nothing better is known.</summary>
    private static string Reason(Exception e)
    {
        // System.IO.Ports wraps every failed open in an UnauthorizedAccessException; the system's error
        // is its inner exception, an IOException whose HResult is the errno.
        const int EPerm = 1, ENoEnt = 2, ENxIo = 6, EAccess = 13, EBusy = 16, ENoDev = 19, ENoTty = 25;
        Exception cause = e is UnauthorizedAccessException { InnerException: { } inner } ? inner : e;
        return cause switch
        {
            FileNotFoundException or DirectoryNotFoundException or IOException { HResult: ENoEnt } => "it does not exist. Is the board plugged in? Its ports are listed by 'ls /dev/ttyUSB* /dev/serial/by-id/'",
            UnauthorizedAccessException or IOException { HResult: EAccess or EPerm } => "permission denied. Add yourself to the dialout group ('sudo usermod -aG dialout $USER', then log in again)",
            IOException { HResult: EBusy } => "another program has the port open",
            IOException { HResult: ENoTty } => "it is not a serial port (not a terminal device); a serial port is one such as /dev/ttyUSB1",
            IOException { HResult: ENxIo or ENoDev } => "the device behind it is gone; was the board unplugged?",
            ArgumentException => "the port refused the settings (raw 8N1 at this rate); its driver may not support this rate",
            _ => cause.Message,
        };
    }
}
