using CoDesign.Gpu.Inference;
using CoDesign.Runtime.Devices;

namespace CoDesign.Gpu;

/// <summary>
/// The GPU devices for a <see cref="DeviceRegistry"/>: <c>gpu</c> (CUDA when an NVIDIA GPU is
/// present, else an OpenCL GPU ILGPU accepts, else ILGPU's CPU accelerator) and
/// <c>gpu:cuda|opencl|cpu</c> (that accelerator, or a clear error when it is absent).
/// </summary>
public static class GpuDevices
{
    /// <summary>The registrations of the GPU devices.</summary>
    public static IReadOnlyList<DeviceRegistration> Registrations { get; } =
    [
        new("gpu", null, "a GPU through ILGPU (CUDA, else OpenCL, else ILGPU's CPU accelerator)", request => Open(request, "auto")),
        new("gpu", "cuda|opencl|cpu", "that ILGPU accelerator", request => Open(request, request.Argument!)),
    ];

    private static DeviceLink Open(DeviceRequest request, string accelerator)
    {
        if (!GpuAccelerators.Choices.Contains(accelerator, StringComparer.Ordinal) || (request.Argument is not null && accelerator == "auto"))
        {
            throw new ArgumentException($"device '{request.Name}': unknown accelerator '{accelerator}'; the form is gpu[:cuda|opencl|cpu]");
        }

        if (request.PeCount is { } pes && pes != 1)
        {
            throw new ArgumentException($"the GPU device runs one slice per layer over a batch of images; --pes {pes} applies to the emulator only");
        }

        // A GPU's first kernel launch compiles the kernels: allow for it in the reply timeout.
        return LinkServer.Link(new GpuEngine(accelerator), request.Timeout ?? TimeSpan.FromSeconds(60));
    }
}
