using CoDesign.KernelCompiler.Signature;
using Microsoft.CodeAnalysis;

namespace CoDesign.KernelCompiler.Execution;

/// <summary>
/// Runs a kernel as the C# it is: the reference the interpreter and the hardware are compared with.
/// The kernel is compiled once, with its source's files and a generated wrapper that passes spans (see
/// <see cref="CpuKernelAssembly"/>), into a collectible load context that <see cref="Dispose"/> unloads;
/// then each call costs a few array copies (tests call a kernel thousands of times).
/// </summary>
public sealed class CpuKernelBackend : IKernelBackend, IDisposable
{
    private readonly CpuKernelAssembly assembly;
    private Func<long[][], long[][]>? invoke;

    /// <summary>
    /// Compiles <paramref name="method"/> of <paramref name="source"/> and loads it. Throws
    /// <see cref="ArgumentException"/> when the method's signature is outside the subset and
    /// <see cref="KernelCompileException"/> when the wrapper cannot call it (a private method).
    /// </summary>
    public CpuKernelBackend(KernelSource source, IMethodSymbol method)
        : this(CpuKernelAssembly.Compile(source ?? throw new ArgumentNullException(nameof(source)), [method ?? throw new ArgumentNullException(nameof(method))]), 0)
    {
    }

    private CpuKernelBackend(CpuKernelAssembly assembly, int index)
    {
        this.assembly = assembly;
        Signature = assembly.Signatures[index];
        invoke = assembly.Invokers[index];
    }

    /// <summary>The kernel's signature.</summary>
    public KernelSignature Signature { get; }

    /// <inheritdoc/>
    public string Name => "cpu";

    /// <summary>Finds <paramref name="methodName"/> (<c>Class.Method</c>) in <paramref name="source"/> and compiles it.</summary>
    public static CpuKernelBackend For(KernelSource source, string methodName)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new CpuKernelBackend(source, source.FindMethod(methodName));
    }

    /// <summary>
    /// Compiles several kernels of one source with a single emit (a corpus of a hundred kernels would
    /// otherwise be compiled a hundred times): one backend per method, in order, sharing one load
    /// context that unloads when all of them are disposed. Throws as the constructor does.
    /// </summary>
    public static IReadOnlyList<CpuKernelBackend> ForAll(KernelSource source, IReadOnlyList<IMethodSymbol> methods)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(methods);
        CpuKernelAssembly assembly = CpuKernelAssembly.Compile(source, methods);
        return [.. Enumerable.Range(0, methods.Count).Select(k => new CpuKernelBackend(assembly, k))];
    }

    /// <summary>
    /// Calls the kernel. Throws <see cref="ArgumentException"/> when the call does not fit the signature
    /// (a scalar without exactly one value, a span missing) and <see cref="KernelExecutionException"/>
    /// when the kernel throws. The outcome has no cycles: the CPU does not count them.
    /// </summary>
    public KernelOutcome Run(KernelCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        Func<long[][], long[][]> kernel = invoke ?? throw new ObjectDisposedException(nameof(CpuKernelBackend));
        IReadOnlyList<KernelParameter> parameters = Signature.Parameters;
        long[][] arguments = call.InParameterOrder();

        long[][] after;
        try
        {
            after = kernel(arguments);
        }
        catch (Exception thrown)
        {
            // Whatever the kernel threw, as one line: the CLI prints it after "error: ".
            string message = thrown.Message.ReplaceLineEndings(" ");
            throw new KernelExecutionException($"{Signature.Name} threw {thrown.GetType().Name}: {message}", thrown);
        }

        var results = new Dictionary<string, long[]>(StringComparer.Ordinal);
        for (int i = 0; i < parameters.Count; i++)
        {
            if (parameters[i].IsSpan || parameters[i].Kind == KernelParameterKind.Out)
            {
                results[parameters[i].Name] = after[i];
            }
        }

        long? returned = Signature.Return is null ? null : after[parameters.Count][0];
        return new KernelOutcome(results, returned, null);
    }

    /// <summary>Lets go of the compiled kernel (unloaded with the last backend sharing it); <see cref="Run"/> throws afterwards.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref invoke, null) is not null)
        {
            assembly.Release();
        }
    }
}
