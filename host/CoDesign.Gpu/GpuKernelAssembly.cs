using System.Globalization;
using System.Runtime.Loader;
using System.Text;
using CoDesign.GpuKernels;
using CoDesign.KernelCompiler;
using CoDesign.KernelCompiler.Signature;
using CoDesign.KernelSubset;
using ILGPU.Runtime;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace CoDesign.Gpu;

/// <summary>
/// Kernels of one source rewritten for ILGPU (checked), compiled by Roslyn with their invokers (see
/// <see cref="GpuInvokerSource"/>) into an in-memory assembly, and loaded on an accelerator.
/// </summary>
internal sealed class GpuKernelAssembly
{
    private const string InvokerNamespace = "CoDesignGpuKernelInvoker";

    private GpuKernelAssembly(IReadOnlyList<KernelSignature> signatures, IReadOnlyList<Func<long[][], long[][]>> invokers)
    {
        Signatures = signatures;
        Invokers = invokers;
    }

    /// <summary>The kernels' signatures, in the order compiled.</summary>
    public IReadOnlyList<KernelSignature> Signatures { get; }

    /// <summary>The calls, in the order compiled.</summary>
    public IReadOnlyList<Func<long[][], long[][]>> Invokers { get; }

    /// <summary>
    /// Rewrites <paramref name="source"/> (the named file and its companions) and compiles
    /// <paramref name="methods"/> for <paramref name="accelerator"/>. Throws
    /// <see cref="KernelCompileException"/> with the rewriter's refusals when a method has no GPU form,
    /// and <see cref="ArgumentException"/> for a signature outside the subset.
    /// </summary>
    public static GpuKernelAssembly Compile(KernelSource source, IReadOnlyList<IMethodSymbol> methods, Accelerator accelerator)
    {
        var trees = source.Compilation.SyntaxTrees.Where(t => t.FilePath.EndsWith(".cs", StringComparison.OrdinalIgnoreCase)).ToList();
        GpuRewriteResult rewritten = GpuKernelRewriter.Rewrite(source.Compilation, trees, GpuRewriteOptions.Checked);
        var available = rewritten.Files.SelectMany(f => f.Methods).ToHashSet(StringComparer.Ordinal);
        var signatures = new List<KernelSignature>();
        var invokers = new StringBuilder($"namespace {InvokerNamespace};\n");
        for (int k = 0; k < methods.Count; k++)
        {
            IMethodSymbol method = methods[k];
            KernelSignature signature = KernelSignature.Of(method)
                ?? throw new ArgumentException($"'{method.ToDisplayString()}' has parameter or return types outside the kernel subset", nameof(methods));
            if (!available.Contains($"{method.ContainingType.Name}.{method.Name}"))
            {
                throw new KernelCompileException([.. RefusalsOf(method, source.Compilation, rewritten.Refusals)]);
            }

            if (method.Parameters.Count(p => p.Type is INamedTypeSymbol { IsGenericType: true }) > GpuInvokerSource.MaxSpans)
            {
                throw new KernelCompileException(KernelDiagnostic.At(method.Locations[0], GpuRewriteCodes.Construct, $"method '{method.Name}'", $"takes more than {GpuInvokerSource.MaxSpans} spans, more than an ILGPU kernel launch passes"));
            }

            signatures.Add(signature);
            GpuInvokerSource.Append(invokers, $"Invoker{k}", method);
        }

        var options = (CSharpParseOptions)source.Tree.Options;
        var syntax = rewritten.Files.Select(f => CSharpSyntaxTree.ParseText(f.Text, options, f.Path + ".gpu.cs"))
            .Concat(source.Compilation.SyntaxTrees.Where(t => !t.FilePath.EndsWith(".cs", StringComparison.OrdinalIgnoreCase)))
            .Append(CSharpSyntaxTree.ParseText(GpuSupportSource.Text, options, "<gpu support>"))
            .Append(CSharpSyntaxTree.ParseText(invokers.ToString(), options, "<gpu kernel invoker>"));
        CSharpCompilation compilation = CSharpCompilation.Create(
            "GpuKernels" + Guid.NewGuid().ToString("N"),
            syntax,
            source.Compilation.References.Append(MetadataReference.CreateFromFile(typeof(Accelerator).Assembly.Location)),
            source.Compilation.Options.WithOptimizationLevel(OptimizationLevel.Release).WithNullableContextOptions(NullableContextOptions.Disable));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        if (!emitted.Success)
        {
            // The rewriter's output must compile; if it does not, that is its bug, said with the C# errors.
            string errors = string.Join("; ", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(5).Select(d => d.ToString()));
            throw new InvalidOperationException($"the GPU rewrite of {source.Path} does not compile: {errors}");
        }

        image.Position = 0;

        // ILGPU's CPU accelerator emits launchers into a non-collectible dynamic assembly, which may not
        // reference a collectible one: the kernels stay loaded for the life of the process.
        var context = new AssemblyLoadContext($"gpu {source.Path}", isCollectible: false);
        System.Reflection.Assembly assembly = context.LoadFromStream(image);
        var calls = Enumerable.Range(0, methods.Count)
            .Select(k => (Func<long[][], long[][]>)assembly.GetType($"{InvokerNamespace}.Invoker{k}", throwOnError: true)!
                .GetMethod("Create")!
                .Invoke(null, [accelerator])!)
            .ToList();
        return new GpuKernelAssembly(signatures, calls);
    }

    // The refusals inside the method and the methods it calls, so that a user sees why this kernel has no GPU form.
    private static IEnumerable<KernelDiagnostic> RefusalsOf(IMethodSymbol method, Compilation compilation, IReadOnlyList<KernelDiagnostic> refusals)
    {
        var spans = new List<(string File, int First, int Last)>();
        var seen = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        var pending = new Stack<IMethodSymbol>();
        pending.Push(method.OriginalDefinition);
        while (pending.Count > 0)
        {
            IMethodSymbol next = pending.Pop();
            if (!seen.Add(next))
            {
                continue;
            }

            foreach (SyntaxReference reference in next.DeclaringSyntaxReferences)
            {
                SyntaxNode node = reference.GetSyntax();
                FileLinePositionSpan lines = node.GetLocation().GetLineSpan();
                spans.Add((lines.Path, lines.StartLinePosition.Line + 1, lines.EndLinePosition.Line + 1));
                SemanticModel model = compilation.GetSemanticModel(node.SyntaxTree);
                foreach (var invocation in node.DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax>())
                {
                    if (model.GetSymbolInfo(invocation).Symbol is IMethodSymbol callee && !callee.DeclaringSyntaxReferences.IsEmpty)
                    {
                        pending.Push(callee.OriginalDefinition);
                    }
                }
            }
        }

        var found = refusals.Where(r => spans.Any(s => s.File == r.File && r.Line >= s.First && r.Line <= s.Last)).ToList();
        return found.Count > 0 ? found : refusals;
    }

    /// <summary>The message .NET gives the exception a fault stands for, as the CPU back end reports it.</summary>
    public static string FaultMessage(string kernel, long fault)
    {
        Exception standIn = fault switch
        {
            GpuSupportSource.IndexFault => new IndexOutOfRangeException(),
            GpuSupportSource.SliceFault => new ArgumentOutOfRangeException(),
            GpuSupportSource.DivideByZeroFault => new DivideByZeroException(),
            GpuSupportSource.OverflowFault => new OverflowException(),
            _ => new InvalidOperationException($"fault {fault.ToString(CultureInfo.InvariantCulture)}"),
        };
        return $"{kernel} threw {standIn.GetType().Name}: {standIn.Message.ReplaceLineEndings(" ")}";
    }
}
