using CoDesign.KernelCompiler;
using CoDesign.KernelCompiler.Execution;
using CoDesign.KernelCompiler.Signature;
using ILGPU.Runtime;
using Microsoft.CodeAnalysis;

namespace CoDesign.Gpu;

/// <summary>
/// Runs a kernel through ILGPU: the source is rewritten for ILGPU with checks (see
/// <see cref="CoDesign.GpuKernels.GpuKernelRewriter"/>), compiled at run time, and each call is one
/// launch of one thread on the accelerator. Its outcomes are those of <see cref="CpuKernelBackend"/>:
/// an index, slice or division the CPU would throw on is reported as the same exception's message.
/// </summary>
public sealed class GpuKernelBackend : IKernelBackend
{
    private static readonly Lock Launching = new();
    private readonly Func<long[][], long[][]> invoke;

    /// <summary>
    /// Rewrites and compiles <paramref name="method"/> of <paramref name="source"/> for
    /// <paramref name="accelerator"/>. Throws <see cref="KernelCompileException"/> naming file, line
    /// and construct when the kernel has no GPU form, and <see cref="ArgumentException"/> when its
    /// signature is outside the subset.
    /// </summary>
    public GpuKernelBackend(KernelSource source, IMethodSymbol method, Accelerator accelerator)
        : this(GpuKernelAssembly.Compile(source ?? throw new ArgumentNullException(nameof(source)), [method ?? throw new ArgumentNullException(nameof(method))], accelerator ?? throw new ArgumentNullException(nameof(accelerator))), 0)
    {
    }

    private GpuKernelBackend(GpuKernelAssembly assembly, int index)
    {
        Signature = assembly.Signatures[index];
        invoke = assembly.Invokers[index];
    }

    /// <summary>The kernel's signature.</summary>
    public KernelSignature Signature { get; }

    /// <inheritdoc/>
    public string Name => "gpu";

    /// <summary>Compiles several kernels of one source with one rewrite and one emit; throws as the constructor does.</summary>
    public static IReadOnlyList<GpuKernelBackend> ForAll(KernelSource source, IReadOnlyList<IMethodSymbol> methods, Accelerator accelerator)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(methods);
        ArgumentNullException.ThrowIfNull(accelerator);
        GpuKernelAssembly assembly = GpuKernelAssembly.Compile(source, methods, accelerator);
        return [.. Enumerable.Range(0, methods.Count).Select(k => new GpuKernelBackend(assembly, k))];
    }

    /// <summary>
    /// Runs one call. Throws <see cref="ArgumentException"/> when the call does not fit the signature
    /// and <see cref="KernelExecutionException"/> when a check failed on the GPU (the message is the
    /// one the CPU back end gives for the exception .NET throws there).
    /// </summary>
    public KernelOutcome Run(KernelCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        IReadOnlyList<KernelParameter> parameters = Signature.Parameters;
        long[][] arguments = call.InParameterOrder();

        long[][] after;

        // One launch at a time: an accelerator's default stream is shared by everything loaded on it.
        lock (Launching)
        {
            after = invoke(arguments);
        }

        long fault = after[parameters.Count + 1][0];
        if (fault != 0)
        {
            throw new KernelExecutionException(GpuKernelAssembly.FaultMessage(Signature.Name, fault), null);
        }

        var results = new Dictionary<string, long[]>(StringComparer.Ordinal);
        for (int i = 0; i < parameters.Count; i++)
        {
            if (parameters[i].IsSpan || parameters[i].Kind == KernelParameterKind.Out)
            {
                results[parameters[i].Name] = Normalize(parameters[i].Type, after[i]);
            }
        }

        long? returned = Signature.Return is KernelValueType type ? type.Normalize(after[parameters.Count][0]) : null;
        return new KernelOutcome(results, returned, null);
    }

    private static long[] Normalize(KernelValueType type, long[] values) => [.. values.Select(type.Normalize)];
}
