using System.Reflection;
using ILGPU;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime.Cuda;

namespace CoDesign.Gpu;

/// <summary>
/// Compiles an ILGPU entry point to PTX through ILGPU's PTX back end, which needs no GPU: CI uses it
/// so that a kernel that would not compile for CUDA fails there.
/// </summary>
public static class PtxCompiler
{
    /// <summary>
    /// The PTX of <paramref name="entry"/> (an implicitly grouped kernel: its first parameter an
    /// <see cref="Index1D"/>) for <paramref name="architecture"/>, at PTX ISA 8.0. ILGPU 1.5.3 writes the
    /// lowest architecture with the capabilities the target has as <c>.target</c> (sm_80 for sm_90).
    /// </summary>
    public static string Compile(MethodInfo entry, CudaArchitecture architecture)
    {
        ArgumentNullException.ThrowIfNull(entry);
        using var context = Context.Create(builder => builder.Optimize(OptimizationLevel.O1));
        using var backend = new PTXBackend(context, new CudaCapabilityContext(architecture), architecture, CudaInstructionSet.ISA_80, null);
        var compiled = (PTXCompiledKernel)backend.Compile(EntryPointDescription.FromImplicitlyGroupedKernel(entry), default);
        return compiled.PTXAssembly;
    }
}
