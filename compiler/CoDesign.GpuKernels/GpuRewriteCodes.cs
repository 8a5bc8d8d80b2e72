namespace CoDesign.GpuKernels;

/// <summary>The codes of what the GPU rewriter refuses (beyond the subset's own CDK codes).</summary>
public static class GpuRewriteCodes
{
    /// <summary>A span of <c>bool</c> or <c>char</c>: ILGPU buffers hold blittable element types only.</summary>
    public const string ElementType = "CDG0001";

    /// <summary>A syntax form the rewriter has no ArrayView form for.</summary>
    public const string Construct = "CDG0002";

    /// <summary>A compound division whose target would be evaluated twice by the checked rewrite.</summary>
    public const string CompoundTarget = "CDG0003";
}
