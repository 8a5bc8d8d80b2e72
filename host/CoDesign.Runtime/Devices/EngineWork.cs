namespace CoDesign.Runtime.Devices;

/// <summary>What a batch cost on a device, as its Run reply carries it.</summary>
/// <param name="Cycles">Cycles of the device's clock (<see cref="DeviceProfile.ClockHz"/>); a device that measures
/// time on the host (<see cref="CycleSource.HostClock"/>) counts nanoseconds.</param>
/// <param name="Entries">CCS entries consumed, padding included.</param>
/// <param name="ShiftAddSteps">Add/subtract steps of the shift-add multiplier for those entries.</param>
/// <param name="Broadcasts">Nonzero activations broadcast to the PEs.</param>
public readonly record struct EngineWork(long Cycles, long Entries, long ShiftAddSteps, long Broadcasts);
