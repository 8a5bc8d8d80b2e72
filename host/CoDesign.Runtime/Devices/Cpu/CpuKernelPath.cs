namespace CoDesign.Runtime.Devices.Cpu;

/// <summary>Which vector instructions the CPU device's row kernels use; all give the same results.</summary>
public enum CpuKernelPath
{
    /// <summary>The widest path the host supports: <see cref="Avx512"/>, else <see cref="Avx2"/>, else <see cref="Portable"/>.</summary>
    Auto,

    /// <summary>512-bit vectors, 16 images per register, <c>vpmaddwd</c> (AVX-512 BW).</summary>
    Avx512,

    /// <summary>256-bit vectors, two registers per 16 images, <c>vpmaddwd</c> (AVX2).</summary>
    Avx2,

    /// <summary><see cref="System.Numerics.Vector{T}"/> of whatever width the host has (any CPU .NET runs on).</summary>
    Portable,
}
