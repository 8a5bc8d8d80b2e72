using System.Text;
using CoDesign.GpuKernels;
using Microsoft.CodeAnalysis;

namespace CoDesign.Gpu;

/// <summary>
/// The C# around one rewritten kernel that lets the host call it: an ILGPU entry point that runs the
/// kernel once (one thread) with a view per span, scalars and results in a view of 64-bit patterns, and
/// a factory that loads it on an accelerator and returns a call that copies arguments in and results out.
/// Buffers get one element more than their span, so that an empty span still has a buffer.
/// </summary>
internal static class GpuInvokerSource
{
    /// <summary>Most spans one kernel may take: ILGPU's kernel loaders take 15 parameters, three are the index, scalars and fault.</summary>
    public const int MaxSpans = 12;

    /// <summary>Appends class <paramref name="className"/> invoking <paramref name="method"/>'s GPU version.</summary>
    public static void Append(StringBuilder code, string className, IMethodSymbol method)
    {
        int count = method.Parameters.Length;
        var entryParameters = new List<string> { "global::ILGPU.Index1D index" };
        var kernelTypes = new List<string> { "global::ILGPU.Index1D" };
        var body = new StringBuilder();
        var arguments = new List<string>();
        var after = new StringBuilder();
        var host = new StringBuilder();
        var launch = new List<string> { "1" };
        var copyBack = new StringBuilder();
        var disposals = new List<string>();
        for (int i = 0; i < count; i++)
        {
            IParameterSymbol parameter = method.Parameters[i];
            if (parameter.Type is INamedTypeSymbol { IsGenericType: true, TypeArguments: [ITypeSymbol element] })
            {
                string type = TypeName(element);
                string view = $"global::ILGPU.ArrayView<{type}>";
                entryParameters.Add($"{view} p{i}");
                kernelTypes.Add(view);
                arguments.Add($"p{i}");
                host.Append($"            var h{i} = new {type}[a[{i}].Length + 1];\n");
                host.Append($"            for (int i = 0; i < a[{i}].Length; i++) {{ h{i}[i] = unchecked(({type})a[{i}][i]); }}\n");
                host.Append($"            var b{i} = accelerator.Allocate1D<{type}>(h{i}.Length);\n");
                host.Append($"            global::ILGPU.Runtime.ArrayViewExtensions.CopyFromCPU(b{i}, h{i});\n");
                disposals.Add($"b{i}");
                launch.Add($"a[{i}].Length == 0 ? default({view}) : (({view})b{i}.View).SubView(0, a[{i}].Length)");
                copyBack.Append($"            global::ILGPU.Runtime.ArrayViewExtensions.CopyToCPU(b{i}, h{i});\n");
                copyBack.Append($"            o[{i}] = new long[a[{i}].Length];\n");
                copyBack.Append($"            for (int i = 0; i < a[{i}].Length; i++) {{ o[{i}][i] = unchecked((long)h{i}[i]); }}\n");
            }
            else if (parameter.RefKind == RefKind.Out)
            {
                body.Append($"        {TypeName(parameter.Type)} s{i};\n");
                arguments.Add($"out s{i}");
                after.Append($"        scalars[{i}] = {ToPattern($"s{i}", parameter.Type)};\n");
                copyBack.Append($"            o[{i}] = new long[] {{ hs[{i}] }};\n");
            }
            else
            {
                body.Append($"        var s{i} = {FromPattern($"scalars[{i}]", parameter.Type)};\n");
                arguments.Add($"s{i}");
                host.Append($"            hs[{i}] = a[{i}][0];\n");
                copyBack.Append($"            o[{i}] = new long[0];\n");
            }
        }

        arguments.Add("fault");
        entryParameters.Add("global::ILGPU.ArrayView<long> scalars");
        entryParameters.Add("global::ILGPU.ArrayView<int> fault");
        kernelTypes.Add("global::ILGPU.ArrayView<long>");
        kernelTypes.Add("global::ILGPU.ArrayView<int>");
        string gpuClass = GpuClassName(method.ContainingType);
        string call = $"{gpuClass}.@{method.Name}({string.Join(", ", arguments)})";

        code.Append($"public static class {className}\n{{\n");
        code.Append($"    public static void Entry({string.Join(", ", entryParameters)})\n    {{\n");
        code.Append(body);
        code.Append(method.ReturnsVoid ? $"        {call};\n" : $"        var r = {call};\n        scalars[{count}] = {ToPattern("r", method.ReturnType)};\n");
        code.Append(after);
        code.Append("    }\n\n");
        code.Append("    public static global::System.Func<long[][], long[][]> Create(global::ILGPU.Runtime.Accelerator accelerator)\n    {\n");
        code.Append($"        var kernel = global::ILGPU.Runtime.KernelLoaders.LoadAutoGroupedStreamKernel<{string.Join(", ", kernelTypes)}>(accelerator, Entry);\n");
        code.Append("        return a =>\n        {\n");
        code.Append($"            var hs = new long[{count + 1}];\n");
        code.Append(host);
        code.Append($"            var bs = accelerator.Allocate1D<long>({count + 1});\n");
        code.Append("            global::ILGPU.Runtime.ArrayViewExtensions.CopyFromCPU(bs, hs);\n");
        code.Append("            var hf = new int[2];\n");
        code.Append("            var bf = accelerator.Allocate1D<int>(2);\n");
        code.Append("            global::ILGPU.Runtime.ArrayViewExtensions.CopyFromCPU(bf, hf);\n");
        launch.Add("bs.View");
        launch.Add("bf.View");
        code.Append($"            kernel({string.Join(", ", launch)});\n");
        code.Append("            accelerator.Synchronize();\n");
        code.Append("            global::ILGPU.Runtime.ArrayViewExtensions.CopyToCPU(bs, hs);\n");
        code.Append("            global::ILGPU.Runtime.ArrayViewExtensions.CopyToCPU(bf, hf);\n");
        code.Append($"            var o = new long[{count + 2}][];\n");
        code.Append(copyBack);
        code.Append(method.ReturnsVoid ? $"            o[{count}] = new long[0];\n" : $"            o[{count}] = new long[] {{ hs[{count}] }};\n");
        code.Append($"            o[{count + 1}] = new long[] {{ hf[0] }};\n");
        foreach (string buffer in disposals.Append("bs").Append("bf"))
        {
            code.Append($"            {buffer}.Dispose();\n");
        }

        code.Append("            return o;\n        };\n    }\n}\n");
    }

    /// <summary>The rewritten class of <paramref name="type"/>, fully qualified.</summary>
    public static string GpuClassName(INamedTypeSymbol type)
    {
        string space = type.ContainingNamespace.IsGlobalNamespace ? "global::" : $"global::{type.ContainingNamespace.ToDisplayString()}.";
        return space + GpuKernelRewriter.ClassPrefix + type.Name;
    }

    private static string TypeName(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);

    // Unchecked casts keep a pattern's low bits, which is what the canonical form means.
    private static string FromPattern(string pattern, ITypeSymbol type) => type.SpecialType == SpecialType.System_Boolean
        ? $"({pattern} != 0)"
        : $"unchecked(({TypeName(type)}){pattern})";

    private static string ToPattern(string value, ITypeSymbol type) => type.SpecialType == SpecialType.System_Boolean
        ? $"({value} ? 1L : 0L)"
        : $"unchecked((long){value})";
}
