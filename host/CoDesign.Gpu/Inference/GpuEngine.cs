using CoDesign.Runtime;
using CoDesign.Runtime.Devices;
using ILGPU;
using ILGPU.Runtime;

namespace CoDesign.Gpu.Inference;

/// <summary>
/// The GPU device's compute: committed models run on an ILGPU accelerator (CUDA, OpenCL, or ILGPU's
/// CPU accelerator), with the kernels generated from kernels/. The weight region is GPU memory, and
/// the CCS entries are read in place from the image DMA put there. A batch of images is the GPU's
/// parallelism: one thread per image, each skipping its zero activations as EIE does.
/// </summary>
public sealed class GpuEngine : IComputeEngine
{
    /// <summary>Bytes of GPU memory the weight region takes.</summary>
    public const int WeightBytes = 64 * 1024 * 1024;

    private readonly GpuDevice _gpu;
    private readonly GpuWeightMemory _memory;

    /// <summary>Opens the accelerator <paramref name="accelerator"/> names (<c>auto</c>, <c>cuda</c>, <c>opencl</c>, <c>cpu</c>) and sizes the device to it.</summary>
    public GpuEngine(string accelerator = "auto")
    {
        _gpu = GpuAccelerators.Open(accelerator);
        try
        {
            _memory = new GpuWeightMemory(_gpu.Accelerator, WeightBytes);
            Spmv = _gpu.Accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<byte>, ArrayView<int>, ArrayView<short>, ArrayView<byte>, ArrayView<int>, int, int, ArrayView<long>>(GpuSpmvBatch.MultiplyAccumulate);
            Activations = _gpu.Accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<int>, ArrayView<int>, int, int, ArrayView<byte>>(GpuRequantizeBatch.Activations);
            Raw = _gpu.Accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<int>, ArrayView<int>, int>(GpuRequantizeBatch.Raw);
            CountLayer = _gpu.Accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<byte>, ArrayView<long>, ArrayView<long>, ArrayView<long>>(GpuWorkCounts.AddLayer);
        }
        catch
        {
            _memory?.Dispose();
            _gpu.Dispose();
            throw;
        }

        // One PE: the batch, not a row split, is the parallelism, and one memory lane keeps each
        // layer's entries contiguous in the image so the kernel reads them where DMA left them.
        Profile = new DeviceProfile($"gpu-{_gpu.Kind}", 1, 64, WeightBytes, 16 * 1024 * 1024, ushort.MaxValue, DeviceProfile.NanosecondClockHz, 0, CycleSource.HostClock);
    }

    /// <inheritdoc />
    public DeviceProfile Profile { get; }

    /// <inheritdoc />
    public IWeightMemory Memory => _memory;

    /// <summary>Which accelerator runs the kernels: <c>cuda</c>, <c>opencl</c> or <c>cpu</c>.</summary>
    public string AcceleratorKind => _gpu.Kind;

    /// <summary>The ILGPU accelerator the kernels run on (for launches of one's own beside the engine's).</summary>
    public Accelerator Accelerator => _gpu.Accelerator;

    internal GpuWeightMemory Weights => _memory;

    internal Action<Index1D, ArrayView<byte>, ArrayView<int>, ArrayView<short>, ArrayView<byte>, ArrayView<int>, int, int, ArrayView<long>> Spmv { get; }

    internal Action<Index1D, ArrayView<int>, ArrayView<int>, int, int, ArrayView<byte>> Activations { get; }

    internal Action<Index1D, ArrayView<int>, ArrayView<int>, int> Raw { get; }

    internal Action<Index1D, ArrayView<byte>, ArrayView<long>, ArrayView<long>, ArrayView<long>> CountLayer { get; }

    /// <inheritdoc />
    public IEngineModel Load(CommittedModel model) => new GpuModel(this, model);

    /// <inheritdoc />
    public void Dispose()
    {
        _memory.Dispose();
        _gpu.Dispose();
    }
}
