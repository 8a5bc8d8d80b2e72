using System.Diagnostics;
using System.Runtime.Versioning;
using CoDesign.Runtime.Devices.Serial;

namespace CoDesign.Runtime.Tests.Serial;

/// <summary>
/// The serial port as <see cref="SerialDevice.OpenPort"/> opens it (System.IO.Ports) on a real tty, a
/// pseudo-terminal's slave, and the stream semantics the link relies on: every byte unchanged, partial
/// reads, timeouts, and a blocked read or write ended by Dispose or a hang-up.
/// </summary>
[SupportedOSPlatform("linux")]
public class SerialPortTests
{
    private const int Patience = 2000;

    // How long a write with a 300 ms timeout may take to fail on a line that hung up.
    private const int WriteBound = 5000;

    /// <summary>What stty prints for a raw 8N1 line without flow control.</summary>
    private static readonly string[] RawFlags = ["-icanon", "-echo", "-isig", "-iexten", "-icrnl", "-inlcr", "-igncr", "-ixon", "-ixoff", "-istrip", "-opost",
        "cs8", "-parenb", "-cstopb", "cread", "clocal", "-crtscts"];

    [Fact]
    public void RawModePassesEveryByteValueUnchangedBothWays()
    {
        using var pty = new PseudoTerminal();
        using Stream port = SerialDevice.OpenPort(pty.SlavePath);
        pty.Master.ReadTimeout = Patience;
        port.ReadTimeout = Patience;

        // Every value, then the ones a cooked tty acts on (intr, eof, newline, return, XON, XOFF,
        // erase), in runs, as a protocol's payload can hold them.
        byte[] data = [.. Enumerable.Range(0, 256).Select(i => (byte)i), .. Enumerable.Range(0, 256).Select(i => (byte)(255 - i)),
            0x03, 0x03, 0x04, 0x04, 0x0A, 0x0D, 0x0D, 0x0A, 0x11, 0x13, 0x13, 0x11, 0x7F, 0x7F, 0x1A, 0x1C, 0x15, 0x17, 0x16, 0x0F, 0x12];

        port.Write(data);
        Assert.Equal(data, ReadExactly(pty.Master, data.Length));

        pty.Master.Write(data);
        Assert.Equal(data, ReadExactly(port, data.Length));

        // Nothing more either way: no echo of what the device sent, no translation that added bytes.
        pty.Master.ReadTimeout = 200;
        port.ReadTimeout = 200;
        Assert.Throws<TimeoutException>(() => pty.Master.ReadByte());
        Assert.Throws<TimeoutException>(() => port.ReadByte());
    }

    [Fact]
    public void AReadReturnsWhatHasArrivedWithoutWaitingToFillItsBuffer()
    {
        using var pty = new PseudoTerminal();
        using Stream port = SerialDevice.OpenPort(pty.SlavePath);
        port.ReadTimeout = Patience;
        pty.Master.ReadTimeout = Patience;

        pty.Master.Write([1, 2, 3]);
        var buffer = new byte[4096];
        var clock = Stopwatch.StartNew();
        int read = port.Read(buffer);

        Assert.InRange(read, 1, 3); // the link's reader must see a short frame at once, not after a timeout
        Assert.True(clock.ElapsedMilliseconds < Patience / 2);
        port.Write([4, 5]);
        Assert.InRange(pty.Master.Read(buffer), 1, 2);
    }

    [Fact]
    public void AFreshPseudoTerminalIsCookedSoRawModeIsTheOpenersJobAndStaleInputIsDiscarded()
    {
        using var pty = new PseudoTerminal();
        pty.Master.ReadTimeout = Patience;

        // Before anyone configures the slave, the line discipline echoes, maps CR to NL on input and
        // NL to CR NL on output: a host that skipped raw mode would see its protocol mangled.
        pty.Master.Write("a\r"u8);
        Assert.Equal("a\r\n"u8.ToArray(), ReadExactly(pty.Master, 3));

        // "a\n" now waits in the slave's input queue; opening the port discards it.
        using Stream port = SerialDevice.OpenPort(pty.SlavePath, 115_200);
        port.ReadTimeout = Patience;
        pty.Master.Write("b\r"u8);

        Assert.Equal("b\r"u8.ToArray(), ReadExactly(port, 2));
        pty.Master.ReadTimeout = 200;
        Assert.Throws<TimeoutException>(() => pty.Master.ReadByte());
    }

    [Theory]
    [InlineData(921_600)]
    [InlineData(3_000_000)]
    [InlineData(4_000_000)]
    public void SttyReadsBackRaw8N1AtTheRequestedRate(int baudRate)
    {
        using var pty = new PseudoTerminal();
        SerialDevice.OpenPort(pty.SlavePath, baudRate).Dispose();

        // stty is an independent reader of the kernel's termios. It reads after the port closed (the
        // settings stay with the tty, which the pair holds open), because an open port is exclusive.
        string[] settings = Stty(pty.SlavePath).Split([' ', '\n', ';'], StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(["speed", $"{baudRate}", "baud"], settings[..3]);
        Assert.All(RawFlags, flag => Assert.Contains(flag, settings));
    }

    [Fact]
    public void ANonStandardRateIsSetRawAndCarriesEveryByte()
    {
        using var pty = new PseudoTerminal();
        using (Stream port = SerialDevice.OpenPort(pty.SlavePath, 1_234_567))
        {
            port.ReadTimeout = Patience;
            pty.Master.ReadTimeout = Patience;
            byte[] data = [.. Enumerable.Range(0, 256).Select(i => (byte)i)];

            port.Write(data);
            pty.Master.Write(data);

            Assert.Equal(data, ReadExactly(pty.Master, data.Length));
            Assert.Equal(data, ReadExactly(port, data.Length));
        }

        // stty cannot print a rate outside the termios table (it says 0), but reads the raw flags.
        string[] settings = Stty(pty.SlavePath).Split([' ', '\n', ';'], StringSplitOptions.RemoveEmptyEntries);
        Assert.All(RawFlags, flag => Assert.Contains(flag, settings));
        Assert.Equal(["speed", "0", "baud"], settings[..3]); // no longer the pseudo-terminal's default 38400
    }

    [Fact]
    public void SttyShowsTheDefaultsBeforeConfiguration()
    {
        // The control for the test above: the flags it looks for are not there by default.
        using var pty = new PseudoTerminal();

        string[] settings = Stty(pty.SlavePath).Split([' ', '\n', ';'], StringSplitOptions.RemoveEmptyEntries);

        Assert.Contains("icanon", settings);
        Assert.Contains("echo", settings);
        Assert.Contains("-clocal", settings);
        Assert.DoesNotContain("3000000", settings);
        Assert.Equal(["speed", "38400", "baud"], settings[..3]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-9600)]
    public void ARateThatIsNotPositiveIsRefused(int baudRate)
    {
        using var pty = new PseudoTerminal();

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => SerialDevice.OpenPort(pty.SlavePath, baudRate));

        Assert.Equal("baudRate", error.ParamName);
    }

    [Fact]
    public void AMissingPortIsAnIOExceptionThatNamesItAndSaysWhatToCheck()
    {
        const string missing = "/dev/ttyUSB-codesign-test-missing";

        var error = Assert.Throws<IOException>(() => SerialDevice.OpenPort(missing));

        Assert.True(error.Message.StartsWith($"cannot open serial port '{missing}' at 3000000 baud: it does not exist", StringComparison.Ordinal), error.Message);
        Assert.Contains("plugged in", error.Message);
    }

    [Fact]
    public void ACharacterDeviceThatIsNotATerminalIsRefused()
    {
        var error = Assert.Throws<IOException>(() => SerialDevice.OpenPort("/dev/null"));

        Assert.True(error.Message.StartsWith("cannot open serial port '/dev/null' at 3000000 baud: it is not a serial port (not a terminal device)", StringComparison.Ordinal), error.Message);
    }

    [Fact]
    public void ARegularFileOrADirectoryIsRefused()
    {
        string directory = Directory.CreateTempSubdirectory("codesign-serial-").FullName;
        try
        {
            string file = Path.Combine(directory, "not-a-port");
            File.WriteAllBytes(file, [1, 2, 3]);

            var fileError = Assert.Throws<IOException>(() => SerialDevice.OpenPort(file));
            var directoryError = Assert.Throws<IOException>(() => SerialDevice.OpenPort(directory));

            Assert.Contains($"'{file}'", fileError.Message);
            Assert.Contains("it is not a serial port", fileError.Message);
            Assert.Contains($"'{directory}'", directoryError.Message);
            Assert.Contains("it is a directory", directoryError.Message);
            Assert.Equal([1, 2, 3], File.ReadAllBytes(file)); // refused, not truncated or written
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void DisposeUnblocksAReadBlockedOnTheSlaveWithinASecond()
    {
        using var pty = new PseudoTerminal();
        Stream port = SerialDevice.OpenPort(pty.SlavePath);

        (Thread reader, Func<object?> outcome) = StartReading(port);
        Assert.False(reader.Join(150)); // really blocked: nothing arrives
        var clock = Stopwatch.StartNew();
        port.Dispose(); // what the link does when its session closes

        Assert.True(reader.Join(1000), "the read was still blocked a second after Dispose");
        Assert.True(clock.ElapsedMilliseconds < 1000);
        Assert.IsType<ObjectDisposedException>(outcome()); // one of the ends the link's reader expects
        Assert.Throws<ObjectDisposedException>(() => port.ReadByte());
        Assert.Throws<ObjectDisposedException>(() => port.Write([1]));
    }

    [Fact]
    public void DisposeUnblocksAReadBlockedOnTheMasterWithinASecond()
    {
        var pty = new PseudoTerminal();

        (Thread reader, Func<object?> outcome) = StartReading(pty.Master);
        Assert.False(reader.Join(150));
        pty.Dispose();

        Assert.True(reader.Join(1000), "the read was still blocked a second after Dispose");
        Assert.Equal(0, outcome());
        Assert.Throws<ObjectDisposedException>(() => pty.Master.ReadByte());
        Assert.Throws<ObjectDisposedException>(() => pty.Master.Write([1]));
    }

    [Fact]
    public void DisposeUnblocksAWriteThatWaitsForRoom()
    {
        using var pty = new PseudoTerminal();
        Stream port = SerialDevice.OpenPort(pty.SlavePath);
        object? outcome = null;

        // Nobody reads the master: the kernel's buffers fill and the write waits for room.
        Thread writer = Background(() => port.Write(new byte[4 << 20]), e => outcome = e);
        Assert.False(writer.Join(300));
        port.Dispose();

        Assert.True(writer.Join(1000), "the write was still blocked a second after Dispose");
        Assert.IsType<ObjectDisposedException>(outcome);
    }

    [Fact]
    public void ReadAndWriteTimeoutsThrowTimeoutException()
    {
        using var pty = new PseudoTerminal();
        using Stream port = SerialDevice.OpenPort(pty.SlavePath);
        port.ReadTimeout = 100;
        port.WriteTimeout = 100;
        pty.Master.ReadTimeout = 100;
        var clock = Stopwatch.StartNew();

        Assert.Throws<TimeoutException>(() => port.ReadByte());
        Assert.InRange(clock.ElapsedMilliseconds, 90, 1500);
        clock.Restart();
        Assert.Throws<TimeoutException>(() => pty.Master.ReadByte());
        Assert.InRange(clock.ElapsedMilliseconds, 90, 1500);
        Assert.Throws<TimeoutException>(() => port.Write(new byte[4 << 20])); // nobody reads the master
        Assert.Throws<ArgumentOutOfRangeException>(() => pty.Master.ReadTimeout = -2);
    }

    [Fact]
    public void AHungUpLineEndsAWaitingReadAndAWriteFailsWithinItsTimeout()
    {
        var pty = new PseudoTerminal();
        using Stream port = SerialDevice.OpenPort(pty.SlavePath);
        port.ReadTimeout = Patience;
        port.WriteTimeout = 300;
        pty.Master.Write([42]);
        Assert.Equal(42, port.ReadByte());
        port.ReadTimeout = Timeout.Infinite;
        (Thread reader, Func<object?> outcome) = StartReading(port);
        Assert.False(reader.Join(150));

        pty.Dispose(); // the board is unplugged

        Assert.True(reader.Join(Patience), "the read still waited after the line hung up");
        Assert.True(outcome() is 0 or IOException or ObjectDisposedException, $"the read ended with {outcome()}");

        // The write goes on a thread of its own so that one which never ends fails the test instead of
        // hanging it. Its 300 ms timeout takes 300 to 650 ms here (System.IO.Ports' I/O loop), also
        // with every core busy; the bound is far above that, for a test host busy with other tests,
        // and far below a write that waits for good.
        var clock = Stopwatch.StartNew();
        object? written = "nothing: the write returned";
        Thread writer = Background(() => port.Write([1, 2, 3]), e => written = e);
        Assert.True(writer.Join(WriteBound), $"the write still waited {clock.ElapsedMilliseconds} ms after the line hung up (its timeout: {port.WriteTimeout} ms)");
        Assert.True(written is IOException or TimeoutException or ObjectDisposedException, $"the write after the hang-up ended with {written}, after {clock.ElapsedMilliseconds} ms");
    }

    [Fact]
    public void LargeTransfersArriveWholeAndInOrderBothWaysAtOnce()
    {
        using var pty = new PseudoTerminal();
        using Stream port = SerialDevice.OpenPort(pty.SlavePath);
        pty.Master.ReadTimeout = Patience;
        port.ReadTimeout = Patience;
        byte[] up = new byte[1 << 20];
        byte[] down = new byte[1 << 20];
        new Random(1).NextBytes(up);
        new Random(2).NextBytes(down);

        // Both directions at once, each far beyond the kernel's buffers: writes wait for room.
        byte[] atDevice = [];
        Thread[] threads =
        [
            Background(() => port.Write(up)),
            Background(() => pty.Master.Write(down)),
            Background(() => atDevice = ReadExactly(pty.Master, up.Length)),
        ];
        byte[] atHost = ReadExactly(port, down.Length);

        Assert.All(threads, t => Assert.True(t.Join(5000)));
        Assert.Equal(up, atDevice);
        Assert.Equal(down, atHost);
    }

    internal static byte[] ReadExactly(Stream stream, int count)
    {
        var buffer = new byte[count];
        stream.ReadExactly(buffer);
        return buffer;
    }

    private static (Thread Reader, Func<object?> Outcome) StartReading(Stream stream)
    {
        object? outcome = null;
        Thread reader = Background(() => outcome = stream.Read(new byte[64]), e => outcome = e);
        return (reader, () => outcome);
    }

    /// <summary>Runs <paramref name="work"/> on a thread; an exception goes to <paramref name="failed"/> (or fails the read that waits for the data), never takes the test host down.</summary>
    private static Thread Background(Action work, Action<Exception>? failed = null)
    {
        var thread = new Thread(() =>
        {
            try
            {
                work();
            }
            catch (Exception e)
            {
                failed?.Invoke(e);
            }
        });
        thread.Start();
        return thread;
    }

    internal static string Stty(string path)
    {
        using Process stty = Process.Start(new ProcessStartInfo("stty", ["-F", path, "-a"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        string output = stty.StandardOutput.ReadToEnd();
        string errors = stty.StandardError.ReadToEnd();
        stty.WaitForExit();
        Assert.True(stty.ExitCode == 0, $"stty -F {path} -a failed: {errors}");
        return output;
    }
}
