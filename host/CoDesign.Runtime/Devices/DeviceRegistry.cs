using CoDesign.Runtime.Link;

namespace CoDesign.Runtime.Devices;

/// <summary>
/// Every device opens through a registry, by name: <c>kind</c> or <c>kind:argument</c>. Each kind of
/// device is one <see cref="DeviceRegistration"/>; assemblies that add devices (the hardware
/// simulators, the GPU) contribute theirs with <see cref="With"/>, and callers never test what
/// they got back.
/// </summary>
public sealed class DeviceRegistry
{
    private readonly DeviceRegistration[] _registrations;

    /// <summary>Creates a registry of <paramref name="registrations"/>; each name form may appear once.</summary>
    public DeviceRegistry(IEnumerable<DeviceRegistration> registrations)
    {
        _registrations = [.. registrations];
        foreach (IGrouping<string, DeviceRegistration> twice in _registrations.GroupBy(r => r.Usage).Where(g => g.Count() > 1))
        {
            throw new ArgumentException($"device form '{twice.Key}' is registered twice", nameof(registrations));
        }

        foreach (IGrouping<(string, bool), DeviceRegistration> clash in _registrations.GroupBy(r => (r.Kind, r.Argument is null)).Where(g => g.Count() > 1))
        {
            throw new ArgumentException($"device forms {string.Join(" and ", clash.Select(r => r.Usage))} cannot both take a name of the same shape", nameof(registrations));
        }
    }

    /// <summary>The registered kinds of device, in registration order.</summary>
    public IReadOnlyList<DeviceRegistration> Registrations => _registrations;

    /// <summary>The name forms this registry opens, e.g. <c>emulator</c>, <c>serial:&lt;port&gt;[@&lt;baud&gt;]</c>.</summary>
    public IReadOnlyList<string> Known => [.. _registrations.Select(r => r.Usage)];

    /// <summary>This registry and <paramref name="more"/>.</summary>
    public DeviceRegistry With(IEnumerable<DeviceRegistration> more) => new([.. _registrations, .. more]);

    /// <summary>
    /// Opens the device <paramref name="name"/> names and connects a session to it. Throws
    /// <see cref="ArgumentException"/> for a name no registration takes (listing those that exist) or
    /// an argument the device cannot use, <see cref="IOException"/> when its port or process cannot
    /// be opened, and <see cref="DeviceTimeoutException"/> when nothing answers.
    /// </summary>
    /// <param name="name">The device name, e.g. <c>emulator</c>, <c>cpu</c>, <c>serial:/dev/ttyUSB1@921600</c>.</param>
    /// <param name="peCount">PEs for a device whose shape the host chooses (the emulator).</param>
    /// <param name="profile">A shape that replaces an emulated device's default.</param>
    /// <param name="timeout">The reply timeout per attempt, when not the device's own default.</param>
    /// <param name="waits">Hears of each request sent again because the device was silent.</param>
    /// <param name="trace">A file for the run's waveform, on a device that writes one (a Verilator simulation).</param>
    public ConnectedDevice Open(string name, int? peCount = null, DeviceProfile? profile = null, TimeSpan? timeout = null, IProgress<LinkWait>? waits = null, string? trace = null)
    {
        return Connect(name, peCount, profile, timeout, trace).Connect(name, timeout, waits);
    }

    /// <summary>
    /// Starts or opens the device <paramref name="name"/> names and returns its end of the link, with no
    /// session on it (what <c>codesign serve</c> relays). Throws as <see cref="Open"/> does, short of the session.
    /// </summary>
    /// <param name="name">The device name, e.g. <c>emulator</c>, <c>verilator:icebreaker</c>.</param>
    /// <param name="peCount">PEs for a device whose shape the host chooses (the emulator).</param>
    /// <param name="profile">A shape that replaces an emulated device's default.</param>
    /// <param name="timeout">The reply timeout per attempt, when not the device's own default.</param>
    /// <param name="trace">A file for the run's waveform, on a device that writes one (a Verilator simulation).</param>
    public DeviceLink Connect(string name, int? peCount = null, DeviceProfile? profile = null, TimeSpan? timeout = null, string? trace = null)
    {
        int colon = name.IndexOf(':', StringComparison.Ordinal);
        string kind = colon < 0 ? name : name[..colon];
        string? argument = colon < 0 ? null : name[(colon + 1)..];
        DeviceRegistration? registration = _registrations.FirstOrDefault(r => r.Kind == kind && (r.Argument is null) == (argument is null));
        if (registration is null)
        {
            string forms = string.Join(", ", _registrations.Where(r => r.Kind == kind).Select(r => r.Usage));
            throw new ArgumentException(forms.Length > 0
                ? $"device '{name}' is not of the form {forms}"
                : $"unknown device '{name}'; known devices: {string.Join(", ", Known)}", nameof(name));
        }

        if (argument is { Length: 0 })
        {
            throw new ArgumentException($"device '{name}' has nothing after ':'; the form is {registration.Usage}", nameof(name));
        }

        if (trace is not null && !registration.Traces)
        {
            throw new ArgumentException($"device '{name}' cannot write a waveform; --trace applies to {string.Join(", ", _registrations.Where(r => r.Traces).Select(r => r.Usage).DefaultIfEmpty("no device here"))}", nameof(trace));
        }

        return registration.Connect(new DeviceRequest(name, argument, peCount, profile, timeout, trace));
    }
}
