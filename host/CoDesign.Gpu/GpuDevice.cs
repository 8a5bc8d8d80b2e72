using ILGPU;
using ILGPU.Runtime;

namespace CoDesign.Gpu;

/// <summary>An ILGPU context and the accelerator chosen in it; disposing it releases both.</summary>
public sealed class GpuDevice : IDisposable
{
    internal GpuDevice(Context context, Accelerator accelerator, string kind)
    {
        Context = context;
        Accelerator = accelerator;
        Kind = kind;
    }

    /// <summary>The ILGPU context.</summary>
    public Context Context { get; }

    /// <summary>The accelerator kernels run on.</summary>
    public Accelerator Accelerator { get; }

    /// <summary><c>cuda</c>, <c>opencl</c> or <c>cpu</c>.</summary>
    public string Kind { get; }

    /// <inheritdoc/>
    public void Dispose()
    {
        Accelerator.Dispose();
        Context.Dispose();
    }
}
