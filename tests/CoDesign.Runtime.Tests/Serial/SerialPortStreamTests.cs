using System.Diagnostics;
using System.Runtime.Versioning;
using CoDesign.Runtime.Devices.Serial;

namespace CoDesign.Runtime.Tests.Serial;

/// <summary>The termios backend on a real tty: a pseudo-terminal's slave, opened as a board's port is.</summary>
[SupportedOSPlatform("linux")]
public class SerialPortStreamTests
{
    private const int Patience = 2000;

    [Fact]
    public void RawModePassesEveryByteValueUnchangedBothWays()
    {
        using var pty = new PseudoTerminal();
        using var port = new SerialPortStream(pty.SlavePath);
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
    public void AFreshPseudoTerminalIsCookedSoRawModeIsTheOpenersJobAndStaleInputIsDiscarded()
    {
        using var pty = new PseudoTerminal();
        pty.Master.ReadTimeout = Patience;

        // Before anyone configures the slave, the line discipline echoes, maps CR to NL on input and
        // NL to CR NL on output: a host that skipped raw mode would see its protocol mangled.
        pty.Master.Write("a\r"u8);
        Assert.Equal("a\r\n"u8.ToArray(), ReadExactly(pty.Master, 3));

        // "a\n" now waits in the slave's input queue; opening the port discards it.
        using var port = new SerialPortStream(pty.SlavePath, 115_200);
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
        using var port = new SerialPortStream(pty.SlavePath, baudRate);

        // stty is an independent reader of the kernel's termios: it checks our struct layout and flags.
        string[] settings = Stty(pty.SlavePath).Split([' ', '\n', ';'], StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(baudRate, port.BaudRate);
        Assert.Contains($"{baudRate}", settings);
        string[] expected = ["-icanon", "-echo", "-isig", "-iexten", "-icrnl", "-inlcr", "-igncr", "-ixon", "-ixoff", "-istrip", "-opost",
            "cs8", "-parenb", "-cstopb", "cread", "clocal", "-crtscts"];
        Assert.All(expected, flag => Assert.Contains(flag, settings));
        int min = Array.IndexOf(settings, "min");
        Assert.Equal("1", settings[min + 2]); // "min = 1"
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
    }

    [Theory]
    [InlineData(0)]
    [InlineData(12_345)]
    [InlineData(3_000_001)]
    [InlineData(-9600)]
    public void AnUnsupportedBaudRateIsRefusedWithTheSupportedOnes(int baudRate)
    {
        using var pty = new PseudoTerminal();

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new SerialPortStream(pty.SlavePath, baudRate));

        Assert.Contains($"{baudRate} baud is not a standard serial rate", error.Message);
        Assert.Contains("115200", error.Message);
        Assert.Contains("3000000", error.Message);
    }

    [Fact]
    public void EveryStandardRateFrom9600To4MbaudCanBeSet()
    {
        using var pty = new PseudoTerminal();
        int[] expected = [9_600, 19_200, 38_400, 57_600, 115_200, 230_400, 460_800, 500_000, 576_000, 921_600,
            1_000_000, 1_152_000, 1_500_000, 2_000_000, 2_500_000, 3_000_000, 3_500_000, 4_000_000];

        Assert.Equal(expected, SerialPortStream.SupportedBaudRates);
        foreach (int rate in expected)
        {
            using var port = new SerialPortStream(pty.SlavePath, rate);
            Assert.Equal(rate, port.BaudRate);
        }
    }

    [Fact]
    public void AMissingPortIsAnIOExceptionThatNamesItAndSaysWhatToCheck()
    {
        const string missing = "/dev/ttyUSB-codesign-test-missing";

        var error = Assert.Throws<IOException>(() => new SerialPortStream(missing));

        Assert.Contains($"'{missing}'", error.Message);
        Assert.Contains("No such file or directory", error.Message);
        Assert.Contains("plugged in", error.Message);
    }

    [Fact]
    public void ACharacterDeviceThatIsNotATerminalIsRefused()
    {
        var error = Assert.Throws<IOException>(() => new SerialPortStream("/dev/null"));

        Assert.Contains("'/dev/null' is not a serial port", error.Message);
        Assert.Contains("Inappropriate ioctl for device", error.Message);
    }

    [Fact]
    public void ARegularFileOrADirectoryIsRefused()
    {
        string directory = Directory.CreateTempSubdirectory("codesign-serial-").FullName;
        try
        {
            string file = Path.Combine(directory, "not-a-port");
            File.WriteAllBytes(file, [1, 2, 3]);

            var fileError = Assert.Throws<IOException>(() => new SerialPortStream(file));
            var directoryError = Assert.Throws<IOException>(() => new SerialPortStream(directory));

            Assert.Contains($"'{file}' is not a serial port", fileError.Message);
            Assert.Contains($"'{directory}'", directoryError.Message);
            Assert.Contains("directory", directoryError.Message);
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
        var port = new SerialPortStream(pty.SlavePath);

        (Thread reader, Func<object?> outcome) = StartReading(port);
        Assert.False(reader.Join(150)); // really blocked: nothing arrives
        var clock = Stopwatch.StartNew();
        port.Dispose();

        Assert.True(reader.Join(1000), "the read was still blocked a second after Dispose");
        Assert.True(clock.ElapsedMilliseconds < 1000);
        Assert.Equal(0, outcome()); // end of stream
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
    }

    [Fact]
    public void DisposeUnblocksAWriteThatWaitsForRoom()
    {
        using var pty = new PseudoTerminal();
        var port = new SerialPortStream(pty.SlavePath);
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
        using var port = new SerialPortStream(pty.SlavePath) { ReadTimeout = 100, WriteTimeout = 100 };
        var clock = Stopwatch.StartNew();

        Assert.Throws<TimeoutException>(() => port.ReadByte());
        Assert.InRange(clock.ElapsedMilliseconds, 90, 1500);
        var error = Assert.Throws<TimeoutException>(() => port.Write(new byte[4 << 20]));
        Assert.Contains(pty.SlavePath, error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => port.ReadTimeout = -2);
    }

    [Fact]
    public void AHungUpLineEndsTheStreamAndRefusesWrites()
    {
        var pty = new PseudoTerminal();
        using var port = new SerialPortStream(pty.SlavePath) { ReadTimeout = Patience };
        pty.Master.Write([42]);
        Assert.Equal(42, port.ReadByte());

        pty.Dispose(); // the board is unplugged

        Assert.Equal(0, port.Read(new byte[16]));
        var error = Assert.Throws<IOException>(() => port.Write([1, 2, 3]));
        Assert.Contains(pty.SlavePath, error.Message);
    }

    [Fact]
    public void LargeTransfersArriveWholeAndInOrderBothWaysAtOnce()
    {
        using var pty = new PseudoTerminal();
        using var port = new SerialPortStream(pty.SlavePath);
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

    private static string Stty(string path)
    {
        using Process stty = Process.Start(new ProcessStartInfo("stty", ["-F", path, "-a"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        string output = stty.StandardOutput.ReadToEnd();
        string errors = stty.StandardError.ReadToEnd();
        stty.WaitForExit();
        Assert.True(stty.ExitCode == 0, $"stty -F {path} -a failed: {errors}");
        return output;
    }
}
