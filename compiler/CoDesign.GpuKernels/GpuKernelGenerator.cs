using System.Collections.Immutable;
using System.IO;
using System.Linq;
using CoDesign.KernelSubset;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace CoDesign.GpuKernels;

/// <summary>
/// Emits the ILGPU version of every kernel class of the <c>.cs</c> files given as AdditionalFiles
/// (kernels/*.cs in host/CoDesign.Gpu): <c>GpuSparseMatVec</c> next to <c>SparseMatVec</c>, and so on,
/// plus the helpers they call. The kernels are bound as a compilation of their own, checked by the
/// subset checker, and rewritten by <see cref="GpuKernelRewriter"/>; a method it refuses is a build
/// error that names the file, line and construct.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class GpuKernelGenerator : IIncrementalGenerator
{
    private static readonly DiagnosticDescriptor Refused = new(
        "CDG0000",
        "Kernel method not rewritten for the GPU",
        "{0}",
        "GpuKernels",
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "A kernel of kernels/ has no ILGPU form; its GPU version would be missing.");

    // The usings a .NET project gets implicitly, as kernels/ builds with them.
    private const string ImplicitUsings = "global using System;\nglobal using System.Collections.Generic;\nglobal using System.Linq;\n";

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        context.RegisterPostInitializationOutput(output => output.AddSource("GpuKernelSupport.g.cs", GpuSupportSource.Text));
        var files = context.AdditionalTextsProvider
            .Where(file => file.Path.EndsWith(".cs", System.StringComparison.OrdinalIgnoreCase))
            .Select((file, token) => (file.Path, Text: file.GetText(token)?.ToString() ?? string.Empty))
            .Collect();
        var references = context.CompilationProvider.Select((compilation, _) => compilation.References
            .Where(r => !Path.GetFileName(r.Display ?? string.Empty).StartsWith("CoDesign.", System.StringComparison.Ordinal))
            .ToImmutableArray());
        context.RegisterSourceOutput(files.Combine(references), (output, input) => Generate(output, input.Left, input.Right));
    }

    private static void Generate(SourceProductionContext output, ImmutableArray<(string Path, string Text)> files, ImmutableArray<MetadataReference> references)
    {
        if (files.IsEmpty)
        {
            return;
        }

        var options = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = files.OrderBy(f => f.Path, System.StringComparer.Ordinal)
            .Select(f => CSharpSyntaxTree.ParseText(f.Text, options, f.Path))
            .ToList();
        var compilation = CSharpCompilation.Create(
            "GpuKernelSources",
            trees.Concat(new[] { CSharpSyntaxTree.ParseText(ImplicitUsings, options, "<implicit usings>") }),
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, checkOverflow: false));
        GpuRewriteResult result = GpuKernelRewriter.Rewrite(compilation, trees, GpuRewriteOptions.Fast);
        foreach (KernelDiagnostic refusal in result.Refusals)
        {
            output.ReportDiagnostic(Diagnostic.Create(Refused, Location.None, refusal.ToString()));
        }

        foreach (GpuRewrittenFile file in result.Files)
        {
            output.AddSource($"{GpuKernelRewriter.ClassPrefix}{Path.GetFileNameWithoutExtension(file.Path)}.g.cs", file.Text);
        }
    }
}
