using CoDesign.Runtime.Deploy;
using CoDesign.Runtime.Devices;

namespace CoDesign.Hardware;

/// <summary>
/// Opens devices by name, the hardware ones included: <c>verilator</c> (the RTL's top level under
/// Verilator, driven through its UART pins), then everything <see cref="DeviceConnector"/> knows.
/// </summary>
public static class HardwareDevices
{
    /// <summary>Device names this build can open.</summary>
    public static IReadOnlyList<string> Known => ["verilator", .. DeviceConnector.Known];

    /// <summary>
    /// Opens <paramref name="name"/>; the emulator options pass through to <see cref="DeviceConnector"/>,
    /// and <paramref name="waits"/> hears of every request sent again because the device was silent.
    /// </summary>
    public static ConnectedDevice Open(string name, int? peCount = null, CoDesign.Runtime.DeviceProfile? emulatorProfile = null, IProgress<CoDesign.Runtime.Link.LinkWait>? waits = null)
    {
        if (name != "verilator")
        {
            return DeviceConnector.Open(name, peCount, emulatorProfile, waits: waits);
        }

        if (peCount is { } pes && pes != 4)
        {
            throw new ArgumentException($"the Verilator build has 4 PEs; --pes {pes} applies to the emulator only");
        }

        SimulatorProcess simulator = VerilatorSimulation.Start();
        try
        {
            return new ConnectedDevice(DeviceSession.Open(simulator, name, TimeSpan.FromSeconds(20), waits: waits), simulator);
        }
        catch
        {
            simulator.Dispose();
            throw;
        }
    }
}
