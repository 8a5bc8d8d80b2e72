namespace CoDesign.Runtime.Compile;

/// <summary>What a block of a device image holds; DMA descriptors carry it for the device's bookkeeping.</summary>
public enum BlockKind : byte
{
    /// <summary>The <see cref="ModelHeader"/>.</summary>
    Header = 1,

    /// <summary>The instruction stream.</summary>
    Instructions = 2,

    /// <summary>A layer's table of <see cref="PeSliceRecord"/>s.</summary>
    PeTable = 3,

    /// <summary>A layer's 16 shared weights.</summary>
    Codebook = 4,

    /// <summary>A layer's biases.</summary>
    Bias = 5,

    /// <summary>A layer's PE slices: each PE's column pointers and (v, z) entries in its memory lane (<see cref="MemoryLanes"/>).</summary>
    Slices = 6,
}
