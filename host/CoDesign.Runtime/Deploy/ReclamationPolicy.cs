namespace CoDesign.Runtime.Deploy;

/// <summary>When the host lets go of a device image's bytes (seed 001).</summary>
public enum ReclamationPolicy
{
    /// <summary>Each chunk is freed as soon as the device acknowledges it (claim 4: partial feedback frees exactly what it confirms).</summary>
    PerChunk,

    /// <summary>Everything is kept until the device confirms the complete model, then freed at once (claim 3).</summary>
    WholeImage,
}
