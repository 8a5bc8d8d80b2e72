using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CoDesign.KernelSubset.Tests;

/// <summary>C# source strings bound into one compilation, as kernels/ is, to check methods of.</summary>
public sealed class Snippet
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        string trusted = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? string.Empty;
        return [.. trusted.Split(Path.PathSeparator)
            .Where(p => p.Length > 0)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    });

    private Snippet(CSharpCompilation compilation) => Compilation = compilation;

    public CSharpCompilation Compilation { get; }

    /// <summary>Binds files given as (name, text); fails the test on a C# compile error.</summary>
    public static Snippet Of(params (string Path, string Text)[] files) => Of(checkOverflow: false, files);

    /// <summary>Binds files as a project with <c>CheckForOverflowUnderflow</c> (or not) would.</summary>
    public static Snippet Of(bool checkOverflow, params (string Path, string Text)[] files)
    {
        var options = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = files.Select(f => CSharpSyntaxTree.ParseText(f.Text, options, f.Path)).ToList();
        trees.Add(CSharpSyntaxTree.ParseText("global using System;\n", options, "usings.cs"));
        var compilation = CSharpCompilation.Create(
            "Snippet",
            trees,
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, checkOverflow: checkOverflow, nullableContextOptions: NullableContextOptions.Enable));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, "the snippet does not compile: " + string.Join("\n", errors));
        return new Snippet(compilation);
    }

    /// <summary>One file, <c>k.cs</c>.</summary>
    public static Snippet Of(string text) => Of(("k.cs", text));

    /// <summary>The method <c>Type.Name</c> (the only one of that name).</summary>
    public IMethodSymbol Method(string name)
    {
        int dot = name.IndexOf('.');
        return Methods().Single(m => m.ContainingType.Name == name[..dot] && m.Name == name[(dot + 1)..]);
    }

    /// <summary>Every method declared in the source files.</summary>
    public IEnumerable<IMethodSymbol> Methods() =>
        Compilation.SyntaxTrees.SelectMany(tree =>
        {
            SemanticModel model = Compilation.GetSemanticModel(tree);
            return tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Select(m => model.GetDeclaredSymbol(m)!);
        });

    /// <summary>The checker's diagnostics for <paramref name="method"/>, as the compiler prints them.</summary>
    public IReadOnlyList<string> Check(string method) =>
        SubsetChecker.Check(Method(method), Compilation).Select(d => d.ToString()).ToList();
}
