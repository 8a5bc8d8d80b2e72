using CoDesign.Model;
using CoDesign.Model.Datasets;
using CoDesign.Runtime.Compile;
using CoDesign.Runtime.Deploy;
using CoDesign.Runtime.Devices;
using CoDesign.Runtime.Devices.Serial;

namespace CoDesign.Hardware.Tests.Device;

/// <summary>
/// The path a board takes, end to end: the host opens a real tty with the termios serial port, and
/// behind that tty (a pseudo-terminal) the Verilated RTL receives the bytes on its UART pins.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class RtlSerialTests
{
    [Fact]
    public void TheHostDrivesTheRtlThroughASerialPort()
    {
        SparseModel model = ModelFile.Read(Path.Combine(HardwareSources.Root, "..", "host", "models", "fashion-mnist-mlp.cdsm"));
        LabeledImages test = FashionMnist.LoadTest().Take(8);
        using var pty = new PseudoTerminal();
        using SimulatorProcess simulator = VerilatorSimulation.Start();
        using var wire = new CancellationTokenSource();
        Task toRtl = Pump(pty.Master, simulator, wire.Token);
        Task fromRtl = Pump(simulator, pty.Master, wire.Token);

        using (ConnectedDevice board = RuntimeDevices.Registry.Open($"serial:{pty.SlavePath}@3000000"))
        {
            DeployedModel deployed = board.Session.Deploy(ModelCompiler.Compile(model, board.Session.Profile));
            InferenceResult result = board.Session.Infer(deployed, test.Pixels, test.Count);

            Assert.Equal("rtl-sim", board.Session.Profile.Name);
            var reference = new DenseIntegerReference(model);
            for (int i = 0; i < test.Count; i++)
            {
                Assert.Equal(reference.Forward(test.Image(i)), result.OutputsOf(i).ToArray());
            }
        }

        wire.Cancel();
    }

    /// <summary>Copies bytes from one end to the other until either closes.</summary>
    private static Task Pump(Stream from, Stream to, CancellationToken stop) => Task.Run(() =>
    {
        var buffer = new byte[4096];
        try
        {
            while (!stop.IsCancellationRequested)
            {
                int read = from.Read(buffer);
                if (read == 0)
                {
                    return;
                }

                to.Write(buffer.AsSpan(0, read));
                to.Flush();
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or TimeoutException)
        {
            // One side closed: the wire is cut.
        }
    });
}
