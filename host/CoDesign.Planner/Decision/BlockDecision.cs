namespace CoDesign.Planner.Decision;

/// <summary>What a memory plan does with one column block at one step of its schedule.</summary>
public enum BlockDecision
{
    /// <summary>In device memory through the whole step (sent at the first step of a run of such steps, kept after).</summary>
    Resident,

    /// <summary>Written by DMA just before it runs in this step (its model's) and freed once it has run.</summary>
    Streamed,

    /// <summary>Not in device memory during the step.</summary>
    Evicted,
}
