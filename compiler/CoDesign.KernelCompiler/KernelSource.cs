using System.Collections.Immutable;
using CoDesign.KernelSubset;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace CoDesign.KernelCompiler;

/// <summary>
/// A C# file bound by Roslyn, with the other <c>.cs</c> files of its folder when it needs them (a
/// folder of kernels is one project, as kernels/ is: SparseMatVec.cs uses CcsEntry.cs). Finds kernel
/// methods by name.
/// </summary>
public sealed class KernelSource
{
    private KernelSource(string path, CSharpCompilation compilation, SyntaxTree tree)
    {
        Path = path;
        Compilation = compilation;
        Tree = tree;
    }

    /// <summary>The file as the user named it.</summary>
    public string Path { get; }

    /// <summary>The file and its folder's other files, bound against the runtime's assemblies.</summary>
    public CSharpCompilation Compilation { get; }

    /// <summary>The file's syntax tree.</summary>
    public SyntaxTree Tree { get; }

    /// <summary>
    /// Reads and binds <paramref name="path"/>: alone when it compiles alone, else with the other
    /// <c>.cs</c> files of its folder (kernels/SparseMatVec.cs needs kernels/CcsEntry.cs). Throws
    /// <see cref="KernelCompileException"/> with the C# compiler's errors (as <c>FILE.cs(l,c): CSnnnn: ...</c>)
    /// when it compiles neither way, and <see cref="IOException"/> when the file cannot be read.
    /// </summary>
    public static KernelSource Load(string path)
    {
        string text = File.ReadAllText(path);
        KernelCompileException alone;
        try
        {
            return Parse(text, path);
        }
        catch (KernelCompileException e)
        {
            alone = e;
        }

        string full = System.IO.Path.GetFullPath(path);
        string folder = System.IO.Path.GetDirectoryName(full) ?? ".";
        var siblings = Directory.GetFiles(folder, "*.cs")
            .Where(f => !string.Equals(System.IO.Path.GetFullPath(f), full, StringComparison.Ordinal))
            .OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => (Text: File.ReadAllText(f), Path: f))
            .ToList();
        if (siblings.Count == 0)
        {
            throw alone;
        }

        try
        {
            return Parse(text, path, siblings);
        }
        catch (KernelCompileException together)
        {
            // The folder did not help: the file's own errors, unless it is the folder that is broken.
            bool ownErrors = together.Diagnostics.Any(d => d.File == path);
            throw ownErrors ? alone : together;
        }
    }

    /// <summary>Binds source text as if read from <paramref name="path"/>, with optional companion files.</summary>
    public static KernelSource Parse(string text, string path, IEnumerable<(string Text, string Path)>? companions = null)
    {
        var files = new List<(string Text, string Path)> { (text, path) };
        files.AddRange(companions ?? []);

        // The same files bind the same way whichever of them is named: a folder of kernels is bound
        // once, not once per file that needs its companions (the benchmark compiles every kernel).
        string key = string.Join("\0", files.OrderBy(f => f.Path, StringComparer.Ordinal).Select(f => f.Path + "\0" + f.Text));
        (CSharpCompilation compilation, ImmutableArray<Diagnostic> errors) = Bound.GetOrAdd(key, _ => new Lazy<(CSharpCompilation, ImmutableArray<Diagnostic>)>(() => Bind(files))).Value;
        SyntaxTree tree = compilation.SyntaxTrees.First(t => t.FilePath == path);
        if (errors.Length > 0)
        {
            // Errors of the named file are the user's to fix; a broken companion file is reported too,
            // since the named one may depend on it.
            throw new KernelCompileException(errors
                .OrderBy(d => d.Location.SourceTree == tree ? 0 : 1)
                .ThenBy(d => d.Location.SourceSpan.Start)
                .Select(d => KernelDiagnostic.At(d.Location, d.Id, d.GetMessage(System.Globalization.CultureInfo.InvariantCulture), string.Empty))
                .ToList());
        }

        return new KernelSource(path, compilation, tree);
    }

    private static (CSharpCompilation Compilation, ImmutableArray<Diagnostic> Errors) Bind(List<(string Text, string Path)> files)
    {
        var options = new CSharpParseOptions(LanguageVersion.Latest);

        // Added to one compilation that already holds the references, so the runtime's assemblies are
        // read and bound once per process rather than once per file (most of what loading cost).
        CSharpCompilation compilation = Empty.Value.AddSyntaxTrees(files.Select(f => CSharpSyntaxTree.ParseText(f.Text, options, f.Path)));
        return (compilation, [.. compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error)]);
    }

    /// <summary>
    /// The static method <paramref name="name"/> declared in this file: <c>Class.Method</c> (the
    /// namespace may lead), with the parameter types in parentheses to pick one of several overloads,
    /// e.g. <c>ShiftAddMultiplier.Multiply(int, uint, uint, out int)</c>. Throws
    /// <see cref="KernelCompileException"/> (CDK0001) when there is none, or more than one.
    /// </summary>
    public IMethodSymbol FindMethod(string name)
    {
        string? parameters = null;
        int open = name.IndexOf('(');
        if (open >= 0 && name.EndsWith(')'))
        {
            parameters = Normalize(name[(open + 1)..^1]);
            name = name[..open].Trim();
        }

        int dot = name.LastIndexOf('.');
        string typeName = dot < 0 ? string.Empty : name[..dot];
        string methodName = name[(dot + 1)..];
        SemanticModel model = Compilation.GetSemanticModel(Tree);
        var named = Tree.GetRoot().DescendantNodes()
            .OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax>()
            .Select(m => model.GetDeclaredSymbol(m))
            .OfType<IMethodSymbol>()
            .Where(m => m.Name == methodName && TypeMatches(m.ContainingType, typeName))
            .ToList();
        var candidates = parameters is null ? named : named.Where(m => Normalize(ParameterList(m)) == parameters).ToList();
        if (candidates.Count == 1)
        {
            return candidates[0];
        }

        string why = candidates.Count == 0 && named.Count == 0
            ? "is not declared in this file (name it as Class.Method, or Namespace.Class.Method)"
            : candidates.Count == 0
                ? $"matches none of the overloads: {string.Join(", ", named.Select(m => $"{typeName}.{methodName}({ParameterList(m)})"))}"
                : $"is overloaded; name one with its parameter types: {string.Join(", ", candidates.Select(m => $"{typeName}.{methodName}({ParameterList(m)})"))}";
        throw new KernelCompileException(new KernelDiagnostic("CDK0001", Path, 1, 1, $"method '{name}{(parameters is null ? string.Empty : $"({parameters})")}'", why));
    }

    private static string ParameterList(IMethodSymbol method) => string.Join(", ", method.Parameters.Select(p => (p.RefKind == RefKind.Out ? "out " : string.Empty) + p.Type.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat)));

    private static string Normalize(string parameters) => string.Join(",", parameters.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(p => string.Join(' ', p.Split(' ', StringSplitOptions.RemoveEmptyEntries))));

    private static bool TypeMatches(INamedTypeSymbol type, string typeName)
    {
        if (typeName.Length == 0)
        {
            return false;
        }

        string full = type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);
        return full == typeName || full.EndsWith("." + typeName, StringComparison.Ordinal);
    }

    // The usings a .NET project gets implicitly, so that files from kernels/ bind as they do there.
    private const string ImplicitUsings = "global using System;\nglobal using System.Collections.Generic;\nglobal using System.Linq;\n";

    // Bound files by their paths and texts; a process binds few distinct sets, so none is evicted.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<(CSharpCompilation, ImmutableArray<Diagnostic>)>> Bound = new(StringComparer.Ordinal);

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        string trusted = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? string.Empty;
        return [.. trusted.Split(System.IO.Path.PathSeparator)
            .Where(p => p.Length > 0 && System.IO.Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || System.IO.Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    });

    // The references and the implicit usings, with nothing of the user's yet; its reference manager is
    // bound here once and shared by every compilation made from it.
    private static readonly Lazy<CSharpCompilation> Empty = new(() =>
    {
        var compilation = CSharpCompilation.Create(
            "Kernels",
            [CSharpSyntaxTree.ParseText(ImplicitUsings, new CSharpParseOptions(LanguageVersion.Latest), "<implicit usings>")],
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, checkOverflow: false));
        _ = compilation.GetSpecialType(SpecialType.System_Object);
        return compilation;
    });
}
