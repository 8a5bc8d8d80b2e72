using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CoDesign.KernelSubset.Tests;

/// <summary>The kernels in kernels/ define the subset: every method of every file there passes.</summary>
public class KernelsTests
{
    [Fact]
    public void Every_method_in_kernels_passes()
    {
        var files = Directory.GetFiles(KernelsFolder(), "*.cs").OrderBy(f => f, StringComparer.Ordinal).ToArray();
        Snippet kernels = Snippet.Of([.. files.Select(f => (Path.GetFileName(f), File.ReadAllText(f)))]);
        var methods = kernels.Methods().ToList();
        Assert.True(files.Length >= 8 && methods.Count >= 20, $"{files.Length} files, {methods.Count} methods: kernels/ was not found whole");
        var diagnostics = methods.SelectMany(m => SubsetChecker.Check(m, kernels.Compilation)).Select(d => d.ToString()).ToList();
        Assert.Empty(diagnostics);
    }

    [Fact]
    public async Task The_analyzer_passes_kernels()
    {
        Snippet kernels = Kernels();
        ImmutableArray<Diagnostic> diagnostics = await kernels.Compilation.WithAnalyzers([new KernelSubsetAnalyzer()]).GetAnalyzerDiagnosticsAsync();
        Assert.Empty(diagnostics);
    }

    private static Snippet Kernels() =>
        Snippet.Of([.. Directory.GetFiles(KernelsFolder(), "*.cs").Order(StringComparer.Ordinal).Select(f => (Path.GetFileName(f), File.ReadAllText(f)))]);

    private static string KernelsFolder()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            string kernels = Path.Combine(folder.FullName, "kernels");
            if (File.Exists(Path.Combine(kernels, "CoDesign.Kernels.csproj")))
            {
                return kernels;
            }
        }

        throw new DirectoryNotFoundException("no kernels/ above " + AppContext.BaseDirectory);
    }
}
