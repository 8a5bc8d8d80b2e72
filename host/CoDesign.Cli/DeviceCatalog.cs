using CoDesign.Gpu;
using CoDesign.Hardware;
using CoDesign.Runtime.Devices;

namespace CoDesign.Cli;

/// <summary>Every device the CLI can open, by name: the registrations of each assembly that provides devices.</summary>
internal static class DeviceCatalog
{
    /// <summary>The registry <c>--device</c> names are looked up in.</summary>
    public static DeviceRegistry Registry { get; } = HardwareDevices.Registry.With(GpuDevices.Registrations);

    /// <summary>The name forms, for help texts.</summary>
    public static string Known => string.Join(", ", Registry.Known);
}
