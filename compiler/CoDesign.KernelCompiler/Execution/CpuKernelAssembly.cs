using System.Globalization;
using System.Runtime.Loader;
using System.Text;
using CoDesign.KernelCompiler.Signature;
using CoDesign.KernelSubset;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace CoDesign.KernelCompiler.Execution;

/// <summary>
/// Kernels of one source compiled with a generated wrapper each and loaded into one collectible load
/// context. Spans are ref structs, so reflection cannot pass them: a wrapper takes arrays of canonical
/// 64-bit patterns (one per parameter), turns them into the parameters' types, calls the kernel and
/// returns spans, out values and the return value the same way. One emit serves many kernels (the
/// corpus binds ~170 of them); the context unloads when the last <see cref="CpuKernelBackend"/> using
/// it is disposed.
/// </summary>
internal sealed class CpuKernelAssembly
{
    private const string InvokerNamespace = "CoDesignCpuKernelInvoker";

    private readonly AssemblyLoadContext context;
    private int users;

    private CpuKernelAssembly(AssemblyLoadContext context, IReadOnlyList<KernelSignature> signatures, IReadOnlyList<Func<long[][], long[][]>> invokers)
    {
        this.context = context;
        Signatures = signatures;
        Invokers = invokers;
        users = invokers.Count;
    }

    /// <summary>The kernels' signatures, in the order compiled.</summary>
    public IReadOnlyList<KernelSignature> Signatures { get; }

    /// <summary>The wrappers, in the order compiled.</summary>
    public IReadOnlyList<Func<long[][], long[][]>> Invokers { get; }

    /// <summary>
    /// Compiles <paramref name="methods"/> of <paramref name="source"/> in one assembly. Throws
    /// <see cref="ArgumentException"/> for a method outside the subset's signatures and
    /// <see cref="KernelCompileException"/> when a wrapper cannot call its kernel (a private method).
    /// </summary>
    public static CpuKernelAssembly Compile(KernelSource source, IReadOnlyList<IMethodSymbol> methods)
    {
        var signatures = new List<KernelSignature>();
        var wrappers = new StringBuilder($"namespace {InvokerNamespace};\n");
        for (int k = 0; k < methods.Count; k++)
        {
            IMethodSymbol method = methods[k];
            KernelSignature signature = KernelSignature.Of(method)
                ?? throw new ArgumentException($"'{method.ToDisplayString()}' has parameter or return types outside the kernel subset", nameof(methods));
            if (!method.IsStatic)
            {
                throw new ArgumentException($"'{method.ToDisplayString()}' is not static; kernels are static methods", nameof(methods));
            }

            signatures.Add(signature);
            AppendWrapper(wrappers, $"Invoker{k}", method);
        }

        SyntaxTree wrapper = CSharpSyntaxTree.ParseText(wrappers.ToString(), (CSharpParseOptions)source.Tree.Options, "<cpu kernel invoker>");
        CSharpCompilation compilation = source.Compilation
            .AddSyntaxTrees(wrapper)
            .WithOptions(source.Compilation.Options.WithOptimizationLevel(OptimizationLevel.Release));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        if (!emitted.Success)
        {
            throw new KernelCompileException([.. emitted.Diagnostics
                .Where(d => d.Severity == DiagnosticSeverity.Error)
                .Select(d => KernelDiagnostic.At(d.Location, d.Id, d.GetMessage(CultureInfo.InvariantCulture), string.Empty))]);
        }

        image.Position = 0;
        string name = methods.Count == 1 ? signatures[0].Name : $"{methods.Count} kernels of {source.Path}";
        var context = new AssemblyLoadContext($"cpu {name}", isCollectible: true);
        System.Reflection.Assembly assembly = context.LoadFromStream(image);
        var invokers = Enumerable.Range(0, methods.Count)
            .Select(k => assembly.GetType($"{InvokerNamespace}.Invoker{k}", throwOnError: true)!
                .GetMethod("Invoke")!
                .CreateDelegate<Func<long[][], long[][]>>())
            .ToList();
        return new CpuKernelAssembly(context, signatures, invokers);
    }

    /// <summary>One user is done; the last one unloads the assembly.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref users) == 0)
        {
            context.Unload();
        }
    }

    // Unchecked casts keep a pattern's low bits, which is what the canonical form means.
    private static void AppendWrapper(StringBuilder code, string className, IMethodSymbol method)
    {
        int count = method.Parameters.Length;
        code.Append($"public static class {className}\n{{\n");
        code.Append("    public static long[][] Invoke(long[][] a)\n    {\n");
        var callArguments = new List<string>();
        var copyBack = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            IParameterSymbol parameter = method.Parameters[i];
            string local = $"p{i}";
            if (parameter.Type is INamedTypeSymbol { IsGenericType: true, TypeArguments: [ITypeSymbol element] } span)
            {
                string type = TypeName(element);
                code.Append($"        var {local} = new {type}[a[{i}].Length];\n");
                code.Append($"        for (int i = 0; i < {local}.Length; i++) {{ {local}[i] = {FromPattern($"a[{i}][i]", element)}; }}\n");
                callArguments.Add($"new global::System.{span.Name}<{type}>({local})");
                copyBack.Append($"        o[{i}] = new long[{local}.Length];\n");
                copyBack.Append($"        for (int i = 0; i < {local}.Length; i++) {{ o[{i}][i] = {ToPattern($"{local}[i]", element)}; }}\n");
            }
            else if (parameter.RefKind == RefKind.Out)
            {
                code.Append($"        {TypeName(parameter.Type)} {local};\n");
                callArguments.Add($"out {local}");
                copyBack.Append($"        o[{i}] = new long[] {{ {ToPattern(local, parameter.Type)} }};\n");
            }
            else
            {
                code.Append($"        var {local} = {FromPattern($"a[{i}][0]", parameter.Type)};\n");
                callArguments.Add(local);
                copyBack.Append($"        o[{i}] = new long[0];\n");
            }
        }

        string call = $"{TypeName(method.ContainingType)}.@{method.Name}({string.Join(", ", callArguments)})";
        code.Append(method.ReturnsVoid ? $"        {call};\n" : $"        var r = {call};\n");
        code.Append($"        var o = new long[{count + 1}][];\n").Append(copyBack);
        code.Append(method.ReturnsVoid
            ? $"        o[{count}] = new long[0];\n"
            : $"        o[{count}] = new long[] {{ {ToPattern("r", method.ReturnType)} }};\n");
        code.Append("        return o;\n    }\n}\n");
    }

    private static string TypeName(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);

    private static string FromPattern(string pattern, ITypeSymbol type) => type.SpecialType == SpecialType.System_Boolean
        ? $"({pattern} != 0)"
        : $"unchecked(({TypeName(type)}){pattern})";

    private static string ToPattern(string value, ITypeSymbol type) => type.SpecialType == SpecialType.System_Boolean
        ? $"({value} ? 1L : 0L)"
        : $"unchecked((long){value})";
}
