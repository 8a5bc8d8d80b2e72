namespace CoDesign.GpuKernels;

/// <summary>How kernels are rewritten for ILGPU.</summary>
public sealed class GpuRewriteOptions
{
    /// <summary>The kernels as they run in production: no checks, the same speed as hand-written ILGPU code.</summary>
    public static GpuRewriteOptions Fast { get; } = new GpuRewriteOptions(false);

    /// <summary>
    /// Every index, slice and division checked, as .NET checks them on the CPU: a GPU cannot throw, so a
    /// failed check is recorded in a fault view (every method takes it as its last parameter), an access
    /// out of range goes to a scratch element instead, and a bad slice or division gives an empty view or 0.
    /// </summary>
    public static GpuRewriteOptions Checked { get; } = new GpuRewriteOptions(true);

    private GpuRewriteOptions(bool isChecked)
    {
        IsChecked = isChecked;
    }

    /// <summary>True when checks and the fault parameter are emitted.</summary>
    public bool IsChecked { get; }

    /// <summary>Name of the fault parameter the checked rewrite adds to every method.</summary>
    public const string FaultParameter = "gpuFault";
}
