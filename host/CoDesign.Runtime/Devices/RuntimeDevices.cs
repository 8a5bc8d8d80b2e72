using CoDesign.Runtime.Devices.Cpu;
using CoDesign.Runtime.Devices.Emulator;
using CoDesign.Runtime.Devices.Serial;

namespace CoDesign.Runtime.Devices;

/// <summary>
/// The devices this assembly provides: <c>emulator</c> (the accelerator emulated in C#, EIE-style
/// PE array), <c>cpu</c> (the host's cores) and <c>serial:&lt;port&gt;[@&lt;baud&gt;]</c> (a board or a served device on a serial
/// port). The hardware and GPU assemblies add their own with <see cref="DeviceRegistry.With"/>.
/// </summary>
public static class RuntimeDevices
{
    /// <summary>The emulator's registration.</summary>
    public static DeviceRegistration Emulator { get; } = new("emulator", null, "the accelerator emulated in C# (EIE-style PE array)", OpenEmulator);

    /// <summary>The CPU device's registration: the host's cores, bit-exact with the emulator.</summary>
    public static DeviceRegistration Cpu { get; } = new("cpu", null, "this host's cores (SIMD, all cores), bit-exact with the emulator", r => LinkServer.Link(new CpuEngine(peCount: r.PeCount), r.Timeout));

    /// <summary>The serial port's registration.</summary>
    public static DeviceRegistration Serial { get; } = new("serial", "<port>[@<baud>]", $"a device on a serial port, {SerialDevice.DefaultBaudRate:N0} baud unless given", request => SerialDevice.Connect(request.Name, request.Timeout));

    /// <summary>A registry of this assembly's devices.</summary>
    public static DeviceRegistry Registry { get; } = new([Emulator, Cpu, Serial]);

    private static DeviceLink OpenEmulator(DeviceRequest request) =>
        LinkServer.Link(new EmulatorEngine(request.ShapeOr(DeviceProfile.EmulatorDefault)), request.Timeout);
}
