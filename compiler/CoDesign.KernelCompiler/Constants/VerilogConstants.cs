using System.Collections.Immutable;
using System.Text;
using CoDesign.KernelSubset;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace CoDesign.KernelCompiler.Constants;

/// <summary>
/// Generates Verilog <c>localparam</c>s from C# constants, so that numbers both sides of an
/// interface must agree on (the link protocol's frame types, error codes and sizes) have one
/// source, the C#. A type's <c>const</c> fields (not private ones) and enum members become
/// <c>TYPE_NAME_MEMBER_NAME</c> of the C# type's width. <c>static readonly</c> fields are refused:
/// their values are only known when the program runs.
/// </summary>
public static class VerilogConstants
{
    /// <summary>The localparam lines of type <paramref name="typeName"/> (<c>Name</c> or <c>Namespace.Name</c>) in <paramref name="source"/>.</summary>
    public static string Generate(KernelSource source, string typeName) =>
        string.Concat(Read(source.Compilation, typeName).Select(c => c.ToVerilog() + "\n"));

    /// <summary>
    /// Binds <paramref name="files"/>, each with the other <c>.cs</c> files of its folder, for reading
    /// constants. Unlike <see cref="KernelSource.Load"/> it accepts files that use types defined
    /// elsewhere (a folder of a larger project, e.g. host/CoDesign.Runtime/Link): only the constants
    /// read must bind. Throws <see cref="KernelCompileException"/> for syntax errors.
    /// </summary>
    public static CSharpCompilation Bind(IEnumerable<string> files)
    {
        var options = new CSharpParseOptions(LanguageVersion.Latest);
        // Paths as the user gave them (diagnostics name them so), siblings beside them; each file once.
        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string file in files)
        {
            if (!File.Exists(file))
            {
                throw new FileNotFoundException($"C# file {file} does not exist", file);
            }

            paths.TryAdd(Path.GetFullPath(file), file);
            string folder = Path.GetDirectoryName(file) ?? "";
            foreach (string sibling in Directory.GetFiles(Path.GetDirectoryName(Path.GetFullPath(file))!, "*.cs").OrderBy(f => f, StringComparer.Ordinal))
            {
                paths.TryAdd(sibling, Path.Combine(folder, Path.GetFileName(sibling)));
            }
        }

        var trees = paths.Values
            .Select(p => CSharpSyntaxTree.ParseText(File.ReadAllText(p), options, p))
            .Append(CSharpSyntaxTree.ParseText(ImplicitUsings, options, "<implicit usings>"))
            .ToList();
        var syntaxErrors = trees.SelectMany(t => t.GetDiagnostics())
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => KernelDiagnostic.At(d.Location, d.Id, d.GetMessage(System.Globalization.CultureInfo.InvariantCulture), string.Empty))
            .ToList();
        if (syntaxErrors.Count > 0)
        {
            throw new KernelCompileException(syntaxErrors);
        }

        return CSharpCompilation.Create("Constants", trees, References.Value, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
    }

    /// <summary>
    /// The constants of type <paramref name="typeName"/>, in declaration order. Throws
    /// <see cref="KernelCompileException"/> when there is no such type (or more than one), when a
    /// constant's value does not bind, and for <c>static readonly</c> fields and types Verilog has no
    /// parameter for (floating point).
    /// </summary>
    public static IReadOnlyList<VerilogConstant> Read(Compilation compilation, string typeName)
    {
        INamedTypeSymbol type = FindType(compilation, typeName);
        string prefix = UpperSnake(type.Name);
        var constants = new List<VerilogConstant>();
        var problems = new List<KernelDiagnostic>();
        foreach (IFieldSymbol field in type.GetMembers().OfType<IFieldSymbol>().Where(f => !f.IsImplicitlyDeclared && f.DeclaredAccessibility != Accessibility.Private))
        {
            Location location = field.Locations.FirstOrDefault() ?? Location.None;
            string member = $"{type.Name}.{field.Name}";
            if (field.IsStatic && field.IsReadOnly)
            {
                problems.Add(KernelDiagnostic.At(location, "CDK0902", $"'static readonly' field '{member}'", "is not a compile-time constant; declare it const to use it in Verilog"));
                continue;
            }

            if (!field.IsConst)
            {
                continue;
            }

            if (!field.HasConstantValue)
            {
                problems.Add(KernelDiagnostic.At(location, "CDK0903", $"constant '{member}'", "has no value here (it refers to code outside the files given)"));
                continue;
            }

            ITypeSymbol valueType = type.TypeKind == TypeKind.Enum ? type.EnumUnderlyingType! : field.Type;
            if (valueType.TypeKind == TypeKind.Enum)
            {
                valueType = ((INamedTypeSymbol)valueType).EnumUnderlyingType!;
            }

            (int width, bool signed, object value)? converted = Convert(valueType, field.ConstantValue);
            if (converted is not { } c)
            {
                problems.Add(KernelDiagnostic.At(location, "CDK0904", $"constant '{member}' of type '{field.Type}'", "has no Verilog parameter form (integers, bool and Latin-1 strings do)"));
                continue;
            }

            FileLinePositionSpan span = location.GetLineSpan();
            bool hex = type.TypeKind == TypeKind.Enum || valueType.SpecialType is SpecialType.System_Byte or SpecialType.System_SByte;
            constants.Add(new VerilogConstant($"{prefix}_{UpperSnake(field.Name)}", c.width, c.signed, c.value, hex, Path.GetFileName(span.Path), span.StartLinePosition.Line + 1));
        }

        if (problems.Count > 0)
        {
            throw new KernelCompileException(problems);
        }

        return constants;
    }

    /// <summary>
    /// A Verilog include file with the constants of <paramref name="typeNames"/> from
    /// <paramref name="files"/> (see <see cref="Bind"/>), headed by a comment that says it is
    /// generated, from which files, and the command that regenerates it. Paths in the header are
    /// relative to <paramref name="baseDirectory"/> (default: the current directory), so the text does
    /// not depend on where the checkout lies. It has no include guard: localparams belong to the
    /// module that includes the file, and each module that needs them includes it.
    /// </summary>
    public static string GenerateInclude(IReadOnlyList<string> files, IReadOnlyList<string> typeNames, string? outputPath = null, string? baseDirectory = null)
    {
        string root = Path.GetFullPath(baseDirectory ?? Directory.GetCurrentDirectory());
        string Shown(string path) => Path.GetRelativePath(root, Path.GetFullPath(path)).Replace('\\', '/');
        CSharpCompilation compilation = Bind(files);
        var sections = typeNames.Select(name => (Type: FindType(compilation, name), Constants: Read(compilation, name))).ToList();
        string[] declaring = [.. sections.SelectMany(s => s.Type.Locations).Where(l => l.IsInSource).Select(l => Shown(l.SourceTree!.FilePath)).Distinct(StringComparer.Ordinal)];

        var text = new StringBuilder();
        string command = "codesign kernel constants " + string.Join(' ', files.Select(Shown))
            + string.Concat(typeNames.Select(t => $" --class {t}")) + (outputPath is null ? "" : $" -o {Shown(outputPath)}");
        text.Append(outputPath is null ? "" : $"// {Path.GetFileName(outputPath)}: ").Append("GENERATED from C# constants; do not edit.\n");
        text.Append("// Sources:\n");
        foreach (string file in declaring)
        {
            text.Append($"//   {file}\n");
        }

        text.Append($"// Regenerate with: {command}\n");
        text.Append("// Include it inside a module (no include guard: the localparams are the including module's).\n");
        // A module uses some of these; Verilator's -Wall would flag the others.
        text.Append("/* verilator lint_off UNUSEDPARAM */\n");
        foreach ((INamedTypeSymbol type, IReadOnlyList<VerilogConstant> constants) in sections)
        {
            text.Append($"\n// {type.ToDisplayString()}\n");
            foreach (VerilogConstant constant in constants)
            {
                text.Append(constant.ToVerilog()).Append('\n');
            }
        }

        text.Append("/* verilator lint_on UNUSEDPARAM */\n");
        return text.ToString();
    }

    /// <summary><c>FrameType</c> -> <c>FRAME_TYPE</c>, <c>EscapeXor</c> -> <c>ESCAPE_XOR</c>, <c>Crc32Init</c> -> <c>CRC32_INIT</c>, <c>IOError</c> -> <c>IO_ERROR</c>.</summary>
    public static string UpperSnake(string name) => Verilog.VerilogNames.Snake(name).ToUpperInvariant();

    private static INamedTypeSymbol FindType(Compilation compilation, string typeName)
    {
        string simple = typeName[(typeName.LastIndexOf('.') + 1)..];
        var matches = compilation.GetSymbolsWithName(n => n == simple, SymbolFilter.Type)
            .OfType<INamedTypeSymbol>()
            .Where(t => t.ToDisplayString() == typeName || t.ToDisplayString().EndsWith("." + typeName, StringComparison.Ordinal) || t.Name == typeName)
            .Distinct<INamedTypeSymbol>(SymbolEqualityComparer.Default)
            .ToList();
        if (matches.Count == 1)
        {
            return matches[0];
        }

        string file = compilation.SyntaxTrees.FirstOrDefault()?.FilePath ?? "";
        string why = matches.Count == 0
            ? "is not declared in the files given or beside them"
            : $"is ambiguous ({string.Join(", ", matches.Select(m => m.ToDisplayString()))}); give the namespace too";
        throw new KernelCompileException(new KernelDiagnostic("CDK0901", file, 1, 1, $"type '{typeName}'", why));
    }

    // Width, signedness and value of a constant of the given C# type; null for types without a Verilog form.
    private static (int Width, bool Signed, object Value)? Convert(ITypeSymbol type, object? value) => (type.SpecialType, value) switch
    {
        (SpecialType.System_Boolean, bool b) => (1, false, b),
        (SpecialType.System_Byte, byte v) => (8, false, (long)v),
        (SpecialType.System_SByte, sbyte v) => (8, true, (long)v),
        (SpecialType.System_Int16, short v) => (16, true, (long)v),
        (SpecialType.System_UInt16, ushort v) => (16, false, (long)v),
        (SpecialType.System_Char, char v) => (16, false, (long)v),
        (SpecialType.System_Int32, int v) => (32, true, (long)v),
        (SpecialType.System_UInt32, uint v) => (32, false, (long)v),
        (SpecialType.System_Int64, long v) => (64, true, v),
        (SpecialType.System_UInt64, ulong v) => (64, false, v),
        (SpecialType.System_String, string s) when s.Length > 0 && s.All(ch => ch <= '\u00FF') => (8 * s.Length, false, s),
        _ => null,
    };

    // The usings a .NET project gets implicitly, as KernelSource binds files.
    private const string ImplicitUsings = "global using System;\nglobal using System.Collections.Generic;\nglobal using System.IO;\nglobal using System.Linq;\n";

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        string trusted = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? string.Empty;
        return [.. trusted.Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p) is { Length: > 0 } name && (name.StartsWith("System.", StringComparison.Ordinal) || name is "mscorlib.dll" or "netstandard.dll"))
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    });
}
