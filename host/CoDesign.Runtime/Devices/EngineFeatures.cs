namespace CoDesign.Runtime.Devices;

/// <summary>
/// What a device's compute engine does beyond running whole models: byte 30 of its Hello reply
/// (<see cref="DeviceProfile.Features"/>). A device built before a feature existed (today's RTL) sends
/// 0 there, so the host never sends it work it would compute wrongly.
/// </summary>
[Flags]
public enum EngineFeatures : byte
{
    /// <summary>Whole models only.</summary>
    None = 0x00,

    /// <summary>
    /// Runs column blocks (<see cref="Compile.LayerInstruction.SparseFullyConnectedBlock"/>) and keeps
    /// their partial sums in its accumulators from one Run to the next, as a memory plan needs.
    /// </summary>
    ColumnBlocks = 0x01,
}
