namespace CoDesign.Planner.Decision;

/// <summary>What a memory plan does with one column block.</summary>
public enum BlockDecision
{
    /// <summary>Deployed once and kept in device memory at every step.</summary>
    Resident,

    /// <summary>Written by DMA before its step in each batch and freed once it has run.</summary>
    Streamed,

    /// <summary>Not on the device at all: its model is never requested under the mix.</summary>
    Evicted,
}
