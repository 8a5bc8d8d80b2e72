using System.Diagnostics;
using System.Runtime.Versioning;
using CoDesign.Model;
using CoDesign.Runtime.Compile;
using CoDesign.Runtime.Deploy;
using CoDesign.Runtime.Devices;
using CoDesign.Runtime.Devices.Emulator;
using CoDesign.Runtime.Devices.Serial;
using CoDesign.Runtime.Link;
using CoDesign.TestSupport;

namespace CoDesign.Runtime.Tests.Serial;

/// <summary>
/// The board's path end to end: the device serves a pseudo-terminal's master, the host opens the
/// slave by a <c>serial:</c> device name, exactly as it opens <c>serial:/dev/ttyUSB1</c>.
/// </summary>
[SupportedOSPlatform("linux")]
public class SerialDeviceTests
{
    private static readonly DeviceProfile Profile = DeviceProfile.EmulatorDefault with { MaxPayload = 1024 };

    [Theory]
    [InlineData("", 3_000_000)]
    [InlineData("@3000000", 3_000_000)]
    [InlineData("@921600", 921_600)]
    [InlineData("@1234567", 1_234_567)]
    public void DeployAndInferOverATtyMatchTheReferenceBitForBit(string rate, int baudRate)
    {
        SparseModel model = RandomSparseModel.Create(21, [100, 64, 40, 10], 0.2);
        using var pty = new PseudoTerminal();
        using var device = new LinkServer(new EmulatorEngine(Profile));
        device.Serve(pty.Master);
        ConnectedDevice host = RuntimeDevices.Registry.Open(SerialDevice.Prefix + pty.SlavePath + rate);
        host.Session.ResendOnlyAfterTheFullTimeout();
        DeviceImage image = ModelCompiler.Compile(model, host.Session.Profile);

        DeployedModel deployed = host.Session.Deploy(image);
        byte[] inputs = RandomSparseModel.Inputs(22, 40, model.InputSize);
        InferenceResult result = host.Session.Infer(deployed, inputs, 40);

        Assert.Equal(TestModels.Reference(model, inputs), result.Outputs);
        Assert.Equal(Profile with { Capabilities = LinkCapabilities.ZeroRunCodec }, host.Session.Profile);
        Assert.True(image.IsFullyReleased);
        Assert.True(image.Chunks.Count > 3, "the image should take several frames");

        // Everything went over the tty to this device: hello, every chunk, the commit, several runs.
        Assert.True(device.FramesReceived >= image.Chunks.Count + 2 + 4);
        long payloadsSent = host.Session.Compression.Statistics.Of(FrameType.Write).SentBytes + host.Session.Compression.Statistics.Of(FrameType.Run).SentBytes;
        Assert.True(host.Session.Link.BytesSent > payloadsSent && payloadsSent > (image.ImageBytes + inputs.Length) / 2);
        Assert.Equal(0, host.Session.Link.Retransmissions);

        // The port was this tty at this rate (read back once closed: an open port is exclusive; stty
        // prints 0 for a rate outside the termios table).
        host.Dispose();
        string[] settings = SerialPortTests.Stty(pty.SlavePath).Split([' ', ';', '\n'], StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["speed", baudRate == 1_234_567 ? "0" : $"{baudRate}", "baud"], settings[..3]);
        Assert.Contains("-icanon", settings);
    }

    [Fact]
    public void TheShippedModelDeploysOverATtyAndItsOutputsEqualTheReference()
    {
        SparseModel model = ModelFile.Read(RepositoryFiles.ShippedModel);
        using var pty = new PseudoTerminal();
        using var device = new LinkServer(new EmulatorEngine(DeviceProfile.EmulatorDefault));
        device.Serve(pty.Master);
        using ConnectedDevice host = RuntimeDevices.Registry.Open(SerialDevice.Prefix + pty.SlavePath);
        host.Session.ResendOnlyAfterTheFullTimeout();
        DeviceImage image = ModelCompiler.Compile(model, host.Session.Profile);

        DeployedModel deployed = host.Session.Deploy(image);
        byte[] inputs = RandomSparseModel.Inputs(23, 25, model.InputSize);
        InferenceResult result = host.Session.Infer(deployed, inputs, 25);

        Assert.Equal(TestModels.Reference(model, inputs), result.Outputs);
        Assert.Equal(0, host.Session.Link.Retransmissions);
        Assert.Equal(0, host.Session.Link.CorruptedFrames);
    }

    [Fact]
    public void APortNobodyServesTimesOutNamingThePort()
    {
        using var pty = new PseudoTerminal();
        string name = SerialDevice.Prefix + pty.SlavePath;
        var clock = Stopwatch.StartNew();

        var error = Assert.Throws<DeviceTimeoutException>(() => RuntimeDevices.Registry.Open(name, timeout: TimeSpan.FromMilliseconds(100)));

        Assert.Contains($"device '{name}' did not answer Hello", error.Message);
        Assert.Contains("4 attempts of 100 ms", error.Message);
        Assert.InRange(clock.ElapsedMilliseconds, 350, 10_000); // our 100 ms, not the default 5 s per attempt

        // The host really sent its Hello four times onto the line (and then closed the port).
        pty.Master.ReadTimeout = 1000;
        byte[] wire = SerialPortTests.ReadExactly(pty.Master, FrameCodec.Encode(new Frame(FrameType.Hello, 1, [])).Length * 4);
        Assert.Equal(8, wire.Count(b => b == 0x7E));
    }

    [Fact]
    public void AMissingPortIsAnIOExceptionNamingIt()
    {
        var error = Assert.Throws<IOException>(() => RuntimeDevices.Registry.Open("serial:/dev/ttyUSB-codesign-test-missing@115200"));

        Assert.True(error.Message.StartsWith("cannot open serial port '/dev/ttyUSB-codesign-test-missing' at 115200 baud: it does not exist", StringComparison.Ordinal), error.Message);
        Assert.Contains("plugged in", error.Message);
    }

    [Theory]
    [InlineData("serial:", "has nothing after ':'; the form is serial:<port>[@<baud>]")]
    [InlineData("serial:@3000000", "names no port")]
    [InlineData("serial:/dev/ttyUSB1@fast", "positive whole number")]
    [InlineData("serial:/dev/ttyUSB1@", "positive whole number")]
    [InlineData("serial:/dev/ttyUSB1@-9600", "positive whole number")]
    [InlineData("serial:/dev/ttyUSB1@0", "positive whole number")]
    [InlineData("serial:/dev/ttyUSB1@99999999999", "positive whole number")]
    [InlineData("serial", "is not of the form serial:<port>[@<baud>]")]
    [InlineData("Serial:/dev/ttyUSB1", "unknown device")]
    public void MalformedNamesAreRefusedBeforeAnyPortIsOpened(string name, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => RuntimeDevices.Registry.Open(name));

        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void SerialNamesParseIntoPortAndRate()
    {
        Assert.Equal(("/dev/ttyUSB1", 3_000_000), SerialDevice.ParseSerialName("serial:/dev/ttyUSB1"));
        Assert.Equal(("/dev/ttyUSB1", 921_600), SerialDevice.ParseSerialName("serial:/dev/ttyUSB1@921600"));
        Assert.Equal(("/dev/ttyUSB1", 1_234_567), SerialDevice.ParseSerialName("serial:/dev/ttyUSB1@1234567"));
        Assert.Equal(("/dev/serial/by-id/usb-FTDI_Dual_RS232-HS-if01-port0", 115_200), SerialDevice.ParseSerialName("serial:/dev/serial/by-id/usb-FTDI_Dual_RS232-HS-if01-port0@115200"));
        Assert.Contains("emulator", RuntimeDevices.Registry.Known);
        Assert.Contains(RuntimeDevices.Registry.Known, k => k.StartsWith(SerialDevice.Prefix, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void OneCorruptedFrameOnTheTtyIsRecoveredByRetransmission(bool towardsDevice)
    {
        SparseModel model = RandomSparseModel.Create(24, [150, 50, 10], 0.3);
        using var pty = new PseudoTerminal();
        using var device = new LinkServer(new EmulatorEngine(Profile));
        int corrupted = 0;

        // Exactly one frame, the third Write of the deploy (frame 3 after Hello), has one bit flipped
        // in its middle, on the way to the device or on the way back.
        byte[] Tamper(int index, byte[] bytes)
        {
            if (index != 3)
            {
                return bytes;
            }

            corrupted++;
            byte[] damaged = (byte[])bytes.Clone();
            damaged[damaged.Length / 2] ^= 0x10;
            return damaged;
        }

        device.Serve(towardsDevice ? pty.Master : new FaultInjectingStream(pty.Master, Tamper));
        using Stream port = SerialDevice.OpenPort(pty.SlavePath);
        Stream hostEnd = towardsDevice ? new FaultInjectingStream(port, Tamper) : port;
        using var session = DeviceSession.Open(hostEnd, SerialDevice.Prefix + pty.SlavePath, TimeSpan.FromSeconds(5));
        session.ResendOnlyAfterTheFullTimeout();
        DeviceImage image = ModelCompiler.Compile(model, session.Profile);

        DeployedModel deployed = session.Deploy(image);
        byte[] inputs = RandomSparseModel.Inputs(25, 12, model.InputSize);
        InferenceResult result = session.Infer(deployed, inputs, 12);

        Assert.Equal(TestModels.Reference(model, inputs), result.Outputs);
        Assert.Equal(1, corrupted);
        Assert.Equal(1, session.Link.Retransmissions);
        Assert.Equal(towardsDevice ? 1 : 0, device.CorruptedFrames);
        Assert.Equal(towardsDevice ? 0 : 1, session.Link.CorruptedFrames);
        Assert.True(image.IsFullyReleased);
    }
}
