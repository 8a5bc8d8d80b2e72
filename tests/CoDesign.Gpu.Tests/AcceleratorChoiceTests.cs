namespace CoDesign.Gpu.Tests;

/// <summary>The accelerator choice: forced kinds, absent ones, unknown names.</summary>
public class AcceleratorChoiceTests
{
    [Fact]
    public void The_cpu_accelerator_can_be_forced()
    {
        using GpuDevice device = GpuAccelerators.Open("cpu");
        Assert.Equal("cpu", device.Kind);
        Assert.Equal(ILGPU.Runtime.AcceleratorType.CPU, device.Accelerator.AcceleratorType);
    }

    [Fact]
    public void Auto_opens_some_accelerator()
    {
        using GpuDevice device = GpuAccelerators.Open();
        Assert.Contains(device.Kind, new[] { "cuda", "opencl", "cpu" });
    }

    [Fact]
    public void A_forced_kind_that_is_absent_says_so()
    {
        using var probe = ILGPU.Context.Create(b => ILGPU.Runtime.Cuda.CudaContextExtensions.Cuda(b));
        if (ILGPU.Runtime.Cuda.CudaContextExtensions.GetCudaDevices(probe).Count > 0)
        {
            return; // a machine with an NVIDIA GPU: nothing is absent
        }

        var error = Assert.Throws<InvalidOperationException>(() => GpuAccelerators.Open("cuda"));
        Assert.StartsWith("accelerator 'cuda' is not available: no NVIDIA GPU that CUDA reports", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_kind_is_refused() =>
        Assert.Equal("accelerator 'tpu' is unknown; allowed: auto, cuda, opencl, cpu", Assert.Throws<ArgumentException>(() => GpuAccelerators.Open("tpu")).Message.Split(" (Parameter")[0]);
}
