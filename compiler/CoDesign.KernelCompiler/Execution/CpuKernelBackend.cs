using System.Globalization;
using System.Runtime.Loader;
using System.Text;
using CoDesign.KernelCompiler.Signature;
using CoDesign.KernelSubset;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace CoDesign.KernelCompiler.Execution;

/// <summary>
/// Runs a kernel as the C# it is: the reference the interpreter and the hardware are compared with.
/// Spans are ref structs, so reflection cannot pass them; instead a generated wrapper, compiled with
/// the kernel's own files, turns arrays of 64-bit patterns into the parameters' types, calls the method
/// and copies spans and out values back. The assembly is emitted once per backend into a collectible
/// load context (tests call a kernel thousands of times); <see cref="Dispose"/> unloads it.
/// </summary>
public sealed class CpuKernelBackend : IKernelBackend, IDisposable
{
    private const string InvokerNamespace = "CoDesignCpuKernelInvoker";
    private const string InvokerClass = "Invoker";

    private readonly AssemblyLoadContext context;
    private Func<long[][], long[][]>? invoke;

    /// <summary>
    /// Compiles <paramref name="method"/> of <paramref name="source"/> with its wrapper and loads it.
    /// Throws <see cref="ArgumentException"/> when the method's signature is outside the subset and
    /// <see cref="KernelCompileException"/> when the wrapper cannot call it (a private method).
    /// </summary>
    public CpuKernelBackend(KernelSource source, IMethodSymbol method)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(method);
        Signature = KernelSignature.Of(method)
            ?? throw new ArgumentException($"'{method.ToDisplayString()}' has parameter or return types outside the kernel subset", nameof(method));
        if (!method.IsStatic)
        {
            throw new ArgumentException($"'{method.ToDisplayString()}' is not static; kernels are static methods", nameof(method));
        }

        var options = (CSharpParseOptions)source.Tree.Options;
        SyntaxTree wrapper = CSharpSyntaxTree.ParseText(WrapperSource(method), options, "<cpu kernel invoker>");
        CSharpCompilation compilation = source.Compilation
            .AddSyntaxTrees(wrapper)
            .WithOptions(source.Compilation.Options.WithOptimizationLevel(OptimizationLevel.Release));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        if (!emitted.Success)
        {
            var errors = emitted.Diagnostics
                .Where(d => d.Severity == DiagnosticSeverity.Error)
                .Select(d => KernelDiagnostic.At(d.Location, d.Id, d.GetMessage(CultureInfo.InvariantCulture), string.Empty))
                .ToList();
            throw new KernelCompileException(errors);
        }

        image.Position = 0;
        context = new AssemblyLoadContext($"cpu kernel {Signature.Name}", isCollectible: true);
        System.Reflection.Assembly assembly = context.LoadFromStream(image);
        invoke = assembly.GetType($"{InvokerNamespace}.{InvokerClass}", throwOnError: true)!
            .GetMethod("Invoke")!
            .CreateDelegate<Func<long[][], long[][]>>();
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
    /// Calls the kernel. Throws <see cref="ArgumentException"/> when the call does not fit the signature
    /// (a scalar without exactly one value, a span missing) and <see cref="KernelExecutionException"/>
    /// when the kernel throws. The outcome has no cycles: the CPU does not count them.
    /// </summary>
    public KernelOutcome Run(KernelCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        Func<long[][], long[][]> kernel = invoke ?? throw new ObjectDisposedException(nameof(CpuKernelBackend));
        var parameters = Signature.Parameters;
        var arguments = new long[parameters.Count][];
        for (int i = 0; i < parameters.Count; i++)
        {
            KernelParameter parameter = parameters[i];
            long[]? values = call.Arguments.GetValueOrDefault(parameter.Name);
            arguments[i] = parameter.Kind switch
            {
                KernelParameterKind.Out => [],
                KernelParameterKind.Scalar when values is { Length: 1 } => values,
                KernelParameterKind.Scalar => throw new ArgumentException($"{Signature.Name}: scalar '{parameter.Name}' needs exactly one value", nameof(call)),
                _ => values ?? throw new ArgumentException($"{Signature.Name}: span '{parameter.Name}' has no value", nameof(call)),
            };
        }

        long[][] after;
        try
        {
            after = kernel(arguments);
        }
        catch (Exception thrown)
        {
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

    /// <summary>Unloads the compiled kernel; <see cref="Run"/> throws afterwards.</summary>
    public void Dispose()
    {
        if (invoke is not null)
        {
            invoke = null;
            context.Unload();
        }
    }

    // The wrapper: arrays of canonical 64-bit patterns in, the same out (one per parameter, then the
    // return value). Unchecked casts keep a pattern's low bits, which is the canonical form's meaning.
    private static string WrapperSource(IMethodSymbol method)
    {
        var code = new StringBuilder();
        code.AppendLine($"namespace {InvokerNamespace};");
        code.AppendLine($"public static class {InvokerClass}");
        code.AppendLine("{");
        code.AppendLine("    public static long[][] Invoke(long[][] a)");
        code.AppendLine("    {");
        var callArguments = new List<string>();
        var copyBack = new List<string>();
        for (int i = 0; i < method.Parameters.Length; i++)
        {
            IParameterSymbol parameter = method.Parameters[i];
            string local = $"p{i}";
            if (parameter.Type is INamedTypeSymbol { IsGenericType: true, TypeArguments: [ITypeSymbol element] } span)
            {
                string type = TypeName(element);
                code.AppendLine($"        var {local} = new {type}[a[{i}].Length];");
                code.AppendLine($"        for (int i = 0; i < {local}.Length; i++) {{ {local}[i] = {FromPattern($"a[{i}][i]", element)}; }}");
                callArguments.Add($"new global::System.{span.Name}<{type}>({local})");
                copyBack.Add($"        o[{i}] = new long[{local}.Length];");
                copyBack.Add($"        for (int i = 0; i < {local}.Length; i++) {{ o[{i}][i] = {ToPattern($"{local}[i]", element)}; }}");
            }
            else if (parameter.RefKind == RefKind.Out)
            {
                code.AppendLine($"        {TypeName(parameter.Type)} {local};");
                callArguments.Add($"out {local}");
                copyBack.Add($"        o[{i}] = new long[] {{ {ToPattern(local, parameter.Type)} }};");
            }
            else
            {
                code.AppendLine($"        var {local} = {FromPattern($"a[{i}][0]", parameter.Type)};");
                callArguments.Add(local);
                copyBack.Add($"        o[{i}] = new long[0];");
            }
        }

        string target = $"{method.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)}.@{method.Name}({string.Join(", ", callArguments)})";
        code.AppendLine(method.ReturnsVoid ? $"        {target};" : $"        var r = {target};");
        code.AppendLine($"        var o = new long[{method.Parameters.Length + 1}][];");
        copyBack.ForEach(line => code.AppendLine(line));
        code.AppendLine(method.ReturnsVoid
            ? $"        o[{method.Parameters.Length}] = new long[0];"
            : $"        o[{method.Parameters.Length}] = new long[] {{ {ToPattern("r", method.ReturnType)} }};");
        code.AppendLine("        return o;");
        code.AppendLine("    }");
        code.AppendLine("}");
        return code.ToString();
    }

    private static string TypeName(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);

    private static string FromPattern(string pattern, ITypeSymbol type) => type.SpecialType == SpecialType.System_Boolean
        ? $"({pattern} != 0)"
        : $"unchecked(({TypeName(type)}){pattern})";

    private static string ToPattern(string value, ITypeSymbol type) => type.SpecialType == SpecialType.System_Boolean
        ? $"({value} ? 1L : 0L)"
        : $"unchecked((long){value})";
}
