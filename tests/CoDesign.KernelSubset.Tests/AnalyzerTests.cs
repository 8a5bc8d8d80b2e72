using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CoDesign.KernelSubset.Tests;

/// <summary>The analyzer reports the checker's violations as build errors, each once, at its own method.</summary>
public class AnalyzerTests
{
    private const string Bad = """
        static class K
        {
            public static int F(int n)
            {
                int[] table = new int[n];
                return G(n) + table[0];
            }

            static int G(int n) => n > 0 ? G(n - 1) : (int)(n * 0.5);

            static int Clean(int n) => G(n) + 1;
        }
        """;

    [Fact]
    public async Task The_analyzer_reports_each_violation_once_as_an_error()
    {
        ImmutableArray<Diagnostic> diagnostics = await Analyze(Snippet.Of(Bad));
        Assert.Equal(
            [
                "k.cs(5,9): error CDK0105: type 'int[]' has no hardware form; kernels use bool, char, 8- to 64-bit integers and spans of them",
                "k.cs(5,23): error CDK0100: 'new int[n]' allocates on the heap; hardware has no heap (use stackalloc with a constant size)",
                "k.cs(9,36): error CDK0102: call to 'K.G' is recursive (K.G -> K.G); hardware has no call stack (use a loop)",
                "k.cs(9,57): error CDK0103: floating-point literal '0.5' is not hardware; kernels compute in integers (use fixed point)",
            ],
            diagnostics.Select(Format));
        Assert.All(diagnostics, d => Assert.Equal("HardwareSubset", d.Descriptor.Category));
    }

    [Fact]
    public async Task The_analyzer_and_the_checker_agree_on_a_kernel()
    {
        Snippet snippet = Snippet.Of(Bad);
        ImmutableArray<Diagnostic> diagnostics = await Analyze(snippet);
        var fromChecker = SubsetChecker.Check(snippet.Method("K.F"), snippet.Compilation).Select(d => d.ToString());
        var fromAnalyzer = diagnostics.Select(d => Format(d).Replace(": error ", ": ", StringComparison.Ordinal));
        Assert.Equal(fromChecker, fromAnalyzer);
    }

    [Fact]
    public async Task The_analyzer_refuses_an_instance_method_and_passes_a_clean_class()
    {
        Snippet snippet = Snippet.Of(
            ("c.cs", "class C\n{\n    public int F(int n) => n;\n}\n"),
            ("k.cs", "static class K\n{\n    public static int F(ReadOnlySpan<int> a) => a.Length > 0 ? Math.Max(a[0], 0) : 0;\n}\n"));
        ImmutableArray<Diagnostic> diagnostics = await Analyze(snippet);
        Assert.Equal(["c.cs(3,16): error CDK0111: instance method 'C.F' has a 'this' object; kernels and the methods they call are static"], diagnostics.Select(Format));
    }

    [Fact]
    public void Every_rule_has_a_descriptor()
    {
        var ids = new KernelSubsetAnalyzer().SupportedDiagnostics.Select(d => d.Id).Order(StringComparer.Ordinal);
        Assert.Equal(Enumerable.Range(100, 15).Select(n => $"CDK0{n}"), ids);
    }

    private static async Task<ImmutableArray<Diagnostic>> Analyze(Snippet snippet)
    {
        ImmutableArray<Diagnostic> diagnostics = await snippet.Compilation
            .WithAnalyzers([new KernelSubsetAnalyzer()])
            .GetAnalyzerDiagnosticsAsync();
        return [.. diagnostics.OrderBy(d => d.Location.SourceTree?.FilePath, StringComparer.Ordinal).ThenBy(d => d.Location.SourceSpan.Start)];
    }

    private static string Format(Diagnostic diagnostic)
    {
        FileLinePositionSpan span = diagnostic.Location.GetLineSpan();
        string severity = diagnostic.Severity.ToString().ToLowerInvariant();
        return $"{span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): {severity} {diagnostic.Id}: {diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
    }
}
