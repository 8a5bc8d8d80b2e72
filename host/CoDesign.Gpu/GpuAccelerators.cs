using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.OpenCL;

namespace CoDesign.Gpu;

/// <summary>
/// Picks the accelerator kernels run on: CUDA when an NVIDIA GPU is present, else an OpenCL GPU that
/// ILGPU accepts, else ILGPU's CPU accelerator (what CI has). One kind can be forced.
/// </summary>
public static class GpuAccelerators
{
    /// <summary>The choices <see cref="Open"/> takes.</summary>
    public static IReadOnlyList<string> Choices { get; } = ["auto", "cuda", "opencl", "cpu"];

    /// <summary>
    /// Opens the accelerator <paramref name="choice"/> names (<c>auto</c>, <c>cuda</c>, <c>opencl</c> or
    /// <c>cpu</c>). Throws <see cref="ArgumentException"/> for another name and
    /// <see cref="InvalidOperationException"/> when the forced kind is absent or ILGPU refuses every
    /// device of it (the message says which and why).
    /// </summary>
    public static GpuDevice Open(string choice = "auto")
    {
        ArgumentNullException.ThrowIfNull(choice);
        if (!Choices.Contains(choice, StringComparer.Ordinal))
        {
            throw new ArgumentException($"accelerator '{choice}' is unknown; allowed: {string.Join(", ", Choices)}", nameof(choice));
        }

        var context = Context.Create(builder => builder.Cuda().OpenCL().CPU().EnableAlgorithms().Optimize(OptimizationLevel.O1));
        try
        {
            var refused = new List<string>();
            if (choice is "auto" or "cuda")
            {
                foreach (CudaDevice device in context.GetCudaDevices())
                {
                    if (TryCreate(context, device, refused) is Accelerator cuda)
                    {
                        return new GpuDevice(context, cuda, "cuda");
                    }
                }

                if (choice == "cuda")
                {
                    throw Absent("cuda", "no NVIDIA GPU that CUDA reports", refused);
                }
            }

            if (choice is "auto" or "opencl")
            {
                // Automatically only GPUs: an OpenCL CPU device (PoCL) is no better than ILGPU's own.
                foreach (CLDevice device in context.GetCLDevices())
                {
                    if (choice != "opencl" && device.DeviceType != CLDeviceType.CL_DEVICE_TYPE_GPU)
                    {
                        continue;
                    }

                    if (TryCreate(context, device, refused) is Accelerator opencl)
                    {
                        return new GpuDevice(context, opencl, "opencl");
                    }
                }

                if (choice == "opencl")
                {
                    throw Absent("opencl", "no OpenCL device that ILGPU accepts", refused);
                }
            }

            return new GpuDevice(context, context.CreateCPUAccelerator(0), "cpu");
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    private static Accelerator? TryCreate(Context context, Device device, List<string> refused)
    {
        try
        {
            return device.CreateAccelerator(context);
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or ArgumentException || e.GetType().Namespace?.StartsWith("ILGPU", StringComparison.Ordinal) == true)
        {
            refused.Add($"{device.Name}: {e.Message.ReplaceLineEndings(" ")}");
            return null;
        }
    }

    private static InvalidOperationException Absent(string kind, string what, List<string> refused) =>
        new($"accelerator '{kind}' is not available: {what}{(refused.Count == 0 ? string.Empty : $" (refused: {string.Join("; ", refused)})")}");
}
