using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CoDesign.TestSupport;

/// <summary>
/// A folder of kernel files (the conformance corpus): every public static method of a public class is a
/// kernel, private ones are helpers. Found from the syntax alone, so that test discovery binds nothing.
/// </summary>
public static class KernelCorpus
{
    /// <summary>The <c>.cs</c> files of <paramref name="folder"/>, by name.</summary>
    public static IReadOnlyList<string> Files(string folder) =>
        [.. Directory.GetFiles(folder, "*.cs").OrderBy(f => f, StringComparer.Ordinal)];

    /// <summary>The kernels of one file as <c>Class.Method</c>, in source order.</summary>
    public static IReadOnlyList<string> Kernels(string file) =>
        [.. KernelDeclarations(File.ReadAllText(file)).Select(m => $"{((TypeDeclarationSyntax)m.Parent!).Identifier.Text}.{m.Identifier.Text}")];

    /// <summary>The public static methods of <paramref name="text"/>'s public classes.</summary>
    public static IEnumerable<MethodDeclarationSyntax> KernelDeclarations(string text) =>
        CSharpSyntaxTree.ParseText(text).GetRoot().DescendantNodes()
            .OfType<MethodDeclarationSyntax>()
            .Where(m => m.Parent is ClassDeclarationSyntax type
                && type.Modifiers.Any(SyntaxKind.PublicKeyword)
                && m.Modifiers.Any(SyntaxKind.PublicKeyword)
                && m.Modifiers.Any(SyntaxKind.StaticKeyword));
}
