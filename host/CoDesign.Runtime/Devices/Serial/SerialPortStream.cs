using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace CoDesign.Runtime.Devices.Serial;

/// <summary>
/// A serial port (a Linux tty such as <c>/dev/ttyUSB1</c>, the FT2232H's second channel on an
/// iCEBreaker) as a duplex <see cref="Stream"/> for the link. Opening configures the line the way a
/// binary protocol needs it, like <c>cfmakeraw</c>: no echo, no canonical (line) mode, no signal
/// characters, no CR/LF or other translation, 8 data bits, no parity, 1 stop bit, receiver on, modem
/// control lines ignored, no hardware or software flow control; then stale input and output are
/// discarded. Reading, writing, timeouts and disposal are <see cref="FileDescriptorStream"/>'s.
/// </summary>
public sealed class SerialPortStream : FileDescriptorStream
{
    /// <summary>The rate of the iCEBreaker's FT2232H UART link, in bits per second.</summary>
    public const int DefaultBaudRate = 3_000_000;

    // Rate -> B* constant of termios-baud.h (glibc, Linux generic).
    private static readonly (int Rate, uint Code)[] Rates =
    [
        (9_600, 0x0D), (19_200, 0x0E), (38_400, 0x0F), (57_600, 0x1001), (115_200, 0x1002),
        (230_400, 0x1003), (460_800, 0x1004), (500_000, 0x1005), (576_000, 0x1006), (921_600, 0x1007),
        (1_000_000, 0x1008), (1_152_000, 0x1009), (1_500_000, 0x100A), (2_000_000, 0x100B),
        (2_500_000, 0x100C), (3_000_000, 0x100D), (3_500_000, 0x100E), (4_000_000, 0x100F),
    ];

    /// <summary>
    /// Opens <paramref name="portPath"/> (<c>open(O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK)</c>: it
    /// never becomes the controlling terminal and never waits for a carrier) and configures it raw at
    /// <paramref name="baudRate"/>. Throws <see cref="ArgumentOutOfRangeException"/> for a rate not in
    /// <see cref="SupportedBaudRates"/>, and <see cref="IOException"/> naming the port, the system's
    /// reason and a hint when the port is missing, not accessible, not a terminal, or refuses the settings.
    /// </summary>
    /// <param name="portPath">The tty, e.g. <c>/dev/ttyUSB1</c> or a <c>/dev/serial/by-id/...</c> link.</param>
    /// <param name="baudRate">Bits per second; one of <see cref="SupportedBaudRates"/>.</param>
    [SupportedOSPlatform("linux")]
    public SerialPortStream(string portPath, int baudRate = DefaultBaudRate)
        : base(OpenRaw(portPath, baudRate))
    {
        PortPath = portPath;
        BaudRate = baudRate;
    }

    /// <summary>The rates this stream can set, in bits per second (the standard termios table from 9600 up).</summary>
    public static IReadOnlyList<int> SupportedBaudRates { get; } = [.. Rates.Select(r => r.Rate)];

    /// <summary>The path the port was opened by.</summary>
    public string PortPath { get; }

    /// <summary>The line rate in bits per second, as the driver confirmed it.</summary>
    public int BaudRate { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{PortPath} at {BaudRate} baud";

    [SupportedOSPlatform("linux")]
    private static FileDescriptor OpenRaw(string portPath, int baudRate)
    {
        ArgumentException.ThrowIfNullOrEmpty(portPath);
        uint code = SpeedCode(baudRate);
        if (RuntimeInformation.ProcessArchitecture is not (Architecture.X64 or Architecture.Arm64))
        {
            throw new PlatformNotSupportedException($"serial ports are supported on Linux x64 and arm64, whose termios layout this build knows; this is {RuntimeInformation.ProcessArchitecture}");
        }

        // tcgetattr writes sizeof(struct termios) bytes: a shorter struct here would corrupt memory.
        if (Unsafe.SizeOf<Libc.Termios>() != Libc.TermiosSize)
        {
            throw new InvalidOperationException($"the termios structure is {Unsafe.SizeOf<Libc.Termios>()} bytes, glibc's is {Libc.TermiosSize}");
        }

        int fd = Libc.Open(portPath, Libc.ORdWr | Libc.ONoCtty | Libc.OCloExec | Libc.ONonBlock, 0);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new IOException($"cannot open serial port '{portPath}': {Libc.Describe(errno)}{Hint(errno)}");
        }

        var descriptor = new FileDescriptor(fd, portPath);
        try
        {
            descriptor.Use(f => Configure(f, portPath, baudRate, code));
        }
        catch
        {
            descriptor.Dispose();
            throw;
        }

        return descriptor;
    }

    private static uint SpeedCode(int baudRate)
    {
        foreach ((int rate, uint code) in Rates)
        {
            if (rate == baudRate)
            {
                return code;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(baudRate), baudRate, $"{baudRate} baud is not a standard serial rate; supported: {string.Join(", ", Rates.Select(r => r.Rate))}");
    }

    private static void Configure(int fd, string portPath, int baudRate, uint speed)
    {
        if (Libc.TcGetAttr(fd, out Libc.Termios termios) < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new IOException(errno == Libc.ENoTty
                ? $"'{portPath}' is not a serial port: {Libc.Describe(errno)}{Hint(errno)}"
                : $"cannot read the settings of serial port '{portPath}': {Libc.Describe(errno)}{Hint(errno)}");
        }

        Libc.CfMakeRaw(ref termios);
        termios.InputFlags &= ~(Libc.IxOn | Libc.IxOff | Libc.IxAny);
        termios.ControlFlags = (termios.ControlFlags & ~(Libc.CSize | Libc.ParEnb | Libc.CStopB | Libc.CRtsCts)) | Libc.CS8 | Libc.CLocal | Libc.CRead;
        termios.ControlChars[Libc.VMin] = 1; // for anyone who clears O_NONBLOCK: block for one byte,
        termios.ControlChars[Libc.VTime] = 0; // with no inter-byte timer
        if (Libc.CfSetISpeed(ref termios, speed) < 0 || Libc.CfSetOSpeed(ref termios, speed) < 0 || Libc.TcSetAttr(fd, Libc.TcsaNow, termios) < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new IOException($"cannot configure serial port '{portPath}' (raw, 8N1, {baudRate} baud): {Libc.Describe(errno)}{Hint(errno)}");
        }

        // tcsetattr succeeds when any of the settings took; read them back, as POSIX advises.
        if (Libc.TcGetAttr(fd, out Libc.Termios actual) < 0)
        {
            throw new IOException($"cannot read back the settings of serial port '{portPath}': {Libc.Describe(Marshal.GetLastPInvokeError())}");
        }

        const uint rawLocal = Libc.ICanon | Libc.Echo | Libc.ISig | Libc.IExten;
        if (Libc.CfGetOSpeed(actual) != speed || Libc.CfGetISpeed(actual) != speed || (actual.LocalFlags & rawLocal) != 0 || (actual.OutputFlags & Libc.OPost) != 0 ||
            (actual.ControlFlags & Libc.CSize) != Libc.CS8 || (actual.ControlFlags & (Libc.ParEnb | Libc.CRtsCts)) != 0)
        {
            int rate = Rates.FirstOrDefault(r => r.Code == Libc.CfGetOSpeed(actual)).Rate;
            throw new IOException($"serial port '{portPath}' did not take the raw 8N1 settings at {baudRate} baud (it reports {(rate > 0 ? $"{rate} baud" : $"speed code 0x{Libc.CfGetOSpeed(actual):X}")}, lflag 0x{actual.LocalFlags:X}, cflag 0x{actual.ControlFlags:X}); its driver may not support this rate");
        }

        // Bytes that arrived before we were ready (a board's boot chatter, an earlier session's
        // leftovers) would only confuse the first frame.
        if (Libc.TcFlush(fd, Libc.TcIoFlush) < 0)
        {
            throw new IOException($"cannot discard stale data of serial port '{portPath}': {Libc.Describe(Marshal.GetLastPInvokeError())}");
        }
    }

    private static string Hint(int errno) => errno switch
    {
        Libc.ENoEnt => ". Is the board plugged in? Its ports are listed by 'ls /dev/ttyUSB* /dev/serial/by-id/'",
        Libc.EAccess or Libc.EPerm => ". Add yourself to the dialout group ('sudo usermod -aG dialout $USER', then log in again)",
        Libc.EBusy => ". Another program has the port open",
        Libc.ENxIo or Libc.ENoDev => ". The device behind it is gone: was the board unplugged?",
        Libc.ENoTty => ". It is not a terminal device; a serial port is one such as /dev/ttyUSB1",
        Libc.EIsDir => ". It is a directory; a serial port is a device such as /dev/ttyUSB1",
        _ => string.Empty,
    };
}
