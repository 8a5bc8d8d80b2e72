using CoDesign.Runtime.Devices;
using ILGPU;
using ILGPU.Runtime;

namespace CoDesign.Gpu.Inference;

/// <summary>
/// The GPU device's weight region in GPU memory: a DMA write is an upload that returns once the
/// accelerator has it, so the link's acknowledgement, and the host freeing its copy, come after
/// the bytes are on the GPU (seed 001 holds for GPUs too).
/// </summary>
internal sealed class GpuWeightMemory(Accelerator accelerator, int length) : IWeightMemory, IDisposable
{
    private readonly MemoryBuffer1D<byte, Stride1D.Dense> _buffer = Allocate(accelerator, length);

    /// <inheritdoc />
    public int Length { get; } = length;

    /// <summary>The whole region, for kernels that read weights in place.</summary>
    public ArrayView<byte> View => _buffer.View;

    /// <inheritdoc />
    public void Write(int address, ReadOnlySpan<byte> data)
    {
        View.SubView(address, data.Length).CopyFromCPU(data);
        accelerator.Synchronize();
    }

    /// <inheritdoc />
    public void Read(int address, Span<byte> destination)
    {
        View.SubView(address, destination.Length).CopyToCPU(destination);
        accelerator.Synchronize();
    }

    /// <inheritdoc />
    public void Dispose() => _buffer.Dispose();

    private static MemoryBuffer1D<byte, Stride1D.Dense> Allocate(Accelerator accelerator, int length)
    {
        MemoryBuffer1D<byte, Stride1D.Dense> buffer = accelerator.Allocate1D<byte>(length);
        buffer.MemSetToZero();
        return buffer;
    }
}
