namespace CoDesign.Runtime.Devices;

/// <summary>One kind of device in a <see cref="DeviceRegistry"/>: how its name looks and how it opens.</summary>
/// <param name="Kind">The name before any colon: <c>emulator</c>, <c>cpu</c>, <c>serial</c>, <c>verilator</c>, <c>gpu</c>.</param>
/// <param name="Argument">What follows the colon, as help shows it (<c>&lt;board&gt;</c>, <c>&lt;port&gt;[@&lt;baud&gt;]</c>), or null when the name is the kind alone.</param>
/// <param name="Summary">What the device is, in a few words.</param>
/// <param name="Connect">Starts or opens the device a request names and returns its end of the link; throws
/// <see cref="ArgumentException"/> for an argument it cannot use.</param>
/// <param name="Traces">Whether the device writes a waveform of its run when asked (<see cref="DeviceRequest.Trace"/>).</param>
public sealed record DeviceRegistration(string Kind, string? Argument, string Summary, Func<DeviceRequest, DeviceLink> Connect, bool Traces = false)
{
    /// <summary>The name form, e.g. <c>emulator</c> or <c>serial:&lt;port&gt;[@&lt;baud&gt;]</c>.</summary>
    public string Usage => Argument is null ? Kind : $"{Kind}:{Argument}";
}
