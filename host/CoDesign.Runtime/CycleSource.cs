namespace CoDesign.Runtime;

/// <summary>What the cycle count in a device's Run replies measures (byte 28 of its Hello reply).</summary>
public enum CycleSource : byte
{
    /// <summary>The device's own clock: a board, or the RTL under simulation.</summary>
    Hardware = 0,

    /// <summary>A cost model of the hardware, counted by the emulator.</summary>
    CostModel = 1,

    /// <summary>Nanoseconds of compute measured on the host (a CPU or GPU device, <see cref="DeviceProfile.NanosecondClockHz"/>).</summary>
    HostClock = 2,
}
