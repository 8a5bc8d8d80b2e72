using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using CoDesign.KernelSubset;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CoDesign.GpuKernels;

/// <summary>
/// Turns kernels of the hardware subset (static methods over spans) into ILGPU code: for each class
/// <c>K</c> a class <c>GpuK</c> in the same namespace whose methods take <c>ArrayView&lt;T&gt;</c> where
/// the originals take spans (see <see cref="ViewRewriter"/> for the mapping). Methods are checked by
/// <see cref="SubsetChecker"/> first; a method outside the subset, one the rewriter has no ILGPU form
/// for, and every method that calls one of those are left out and named in
/// <see cref="GpuRewriteResult.Refusals"/>, never rewritten approximately.
/// </summary>
public static class GpuKernelRewriter
{
    /// <summary>The prefix of rewritten classes: <c>SparseMatVec</c> becomes <c>GpuSparseMatVec</c>.</summary>
    public const string ClassPrefix = "Gpu";

    /// <summary>
    /// Rewrites the classes declared in <paramref name="trees"/> (trees of <paramref name="compilation"/>).
    /// </summary>
    public static GpuRewriteResult Rewrite(Compilation compilation, IEnumerable<SyntaxTree> trees, GpuRewriteOptions options)
    {
        if (compilation is null)
        {
            throw new ArgumentNullException(nameof(compilation));
        }

        var inputs = trees.ToList();
        var classes = new List<(SyntaxTree Tree, ClassDeclarationSyntax Syntax, INamedTypeSymbol Symbol)>();
        foreach (SyntaxTree tree in inputs)
        {
            SemanticModel model = compilation.GetSemanticModel(tree);
            foreach (ClassDeclarationSyntax declaration in tree.GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>())
            {
                if (declaration.Parent is not ClassDeclarationSyntax && model.GetDeclaredSymbol(declaration) is INamedTypeSymbol symbol)
                {
                    classes.Add((tree, declaration, symbol));
                }
            }
        }

        var renamed = new HashSet<INamedTypeSymbol>(classes.Select(c => c.Symbol), SymbolEqualityComparer.Default);

        // First every method's own problems, then the methods that call a refused one.
        var refusals = new List<KernelDiagnostic>();
        var refused = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        var calls = new Dictionary<IMethodSymbol, List<IMethodSymbol>>(SymbolEqualityComparer.Default);
        var rewritten = new Dictionary<IMethodSymbol, MemberDeclarationSyntax>(SymbolEqualityComparer.Default);
        var otherMembers = new Dictionary<MemberDeclarationSyntax, MemberDeclarationSyntax?>();
        foreach (var (tree, syntax, _) in classes)
        {
            SemanticModel model = compilation.GetSemanticModel(tree);
            foreach (MemberDeclarationSyntax member in syntax.Members)
            {
                if (member is MethodDeclarationSyntax method && model.GetDeclaredSymbol(method) is IMethodSymbol symbol && symbol.IsStatic)
                {
                    var own = SubsetChecker.Check(symbol, compilation);
                    var rewriter = new ViewRewriter(model, options, renamed);
                    var result = (MemberDeclarationSyntax)rewriter.Visit(method);
                    calls[symbol] = rewriter.Callees;
                    if (own.Count > 0 || rewriter.Refusals.Count > 0)
                    {
                        refused.Add(symbol);
                        refusals.AddRange(own);
                        refusals.AddRange(rewriter.Refusals);
                    }
                    else
                    {
                        rewritten[symbol] = result;
                    }
                }
                else if (member is FieldDeclarationSyntax field && field.Modifiers.Any(SyntaxKind.ConstKeyword))
                {
                    otherMembers[member] = (MemberDeclarationSyntax)new ViewRewriter(model, options, renamed).Visit(field);
                }
                else
                {
                    otherMembers[member] = null;
                    refusals.Add(KernelDiagnostic.At(member.GetLocation(), GpuRewriteCodes.Construct, $"member '{Describe(member)}'", "is neither a static method nor a const field; kernels have no other members on a GPU"));
                }
            }
        }

        bool changed = true;
        while (changed)
        {
            changed = false;
            foreach (var pair in calls)
            {
                if (!refused.Contains(pair.Key) && pair.Value.Any(refused.Contains))
                {
                    refused.Add(pair.Key);
                    rewritten.Remove(pair.Key);
                    IMethodSymbol callee = pair.Value.First(refused.Contains);
                    refusals.Add(KernelDiagnostic.At(pair.Key.Locations[0], GpuRewriteCodes.Construct, $"method '{pair.Key.ContainingType.Name}.{pair.Key.Name}'", $"calls '{callee.ContainingType.Name}.{callee.Name}', which is not rewritten"));
                    changed = true;
                }
            }
        }

        var files = new List<GpuRewrittenFile>();
        foreach (var group in classes.GroupBy(c => c.Tree))
        {
            var text = new StringBuilder();
            var methods = new List<string>();
            text.Append("// <auto-generated/>\n// Rewritten for ILGPU from ").Append(System.IO.Path.GetFileName(group.Key.FilePath)).Append(" by CoDesign.GpuKernels; edit the kernel, not this file.\n");
            var root = (CompilationUnitSyntax)group.Key.GetRoot();
            foreach (UsingDirectiveSyntax directive in root.Usings)
            {
                text.Append(directive.WithoutTrivia().ToFullString()).Append('\n');
            }

            foreach (var (_, syntax, symbol) in group)
            {
                string? space = symbol.ContainingNamespace.IsGlobalNamespace ? null : symbol.ContainingNamespace.ToDisplayString();
                text.Append(space is null ? string.Empty : $"namespace {space}\n{{\n");
                text.Append($"/// <summary>ILGPU version of <c>{symbol.Name}</c>, generated from {System.IO.Path.GetFileName(group.Key.FilePath)}: spans are ArrayViews.</summary>\n");
                string modifiers = string.Join(" ", syntax.Modifiers.Where(m => !m.IsKind(SyntaxKind.PartialKeyword)).Select(m => m.Text));
                text.Append($"{modifiers} class {ClassPrefix}{symbol.Name}\n{{\n");
                foreach (MemberDeclarationSyntax member in syntax.Members)
                {
                    MemberDeclarationSyntax? output = null;
                    string name = Describe(member);
                    if (member is MethodDeclarationSyntax method && group.Key.GetRoot() is not null)
                    {
                        IMethodSymbol? declared = compilation.GetSemanticModel(group.Key).GetDeclaredSymbol(method);
                        if (declared is not null && rewritten.TryGetValue(declared, out MemberDeclarationSyntax? done))
                        {
                            output = done;
                            methods.Add($"{symbol.Name}.{method.Identifier.Text}");
                        }
                    }
                    else if (otherMembers.TryGetValue(member, out MemberDeclarationSyntax? other))
                    {
                        output = other;
                    }

                    if (output is not null)
                    {
                        string summary = $"/// <summary>ILGPU version of <c>{symbol.Name}.{name}</c>.</summary>\n";
                        text.Append(summary).Append(output.WithoutLeadingTrivia().ToFullString().TrimEnd()).Append("\n\n");
                    }
                }

                text.Append("}\n").Append(space is null ? string.Empty : "}\n");
            }

            files.Add(new GpuRewrittenFile(group.Key.FilePath, text.ToString(), methods));
        }

        var distinct = refusals
            .GroupBy(d => d.ToString(), StringComparer.Ordinal)
            .Select(g => g.First())
            .OrderBy(d => d.File, StringComparer.Ordinal).ThenBy(d => d.Line).ThenBy(d => d.Column)
            .ToList();
        return new GpuRewriteResult(files, distinct);
    }

    private static string Describe(MemberDeclarationSyntax member) => member switch
    {
        MethodDeclarationSyntax m => m.Identifier.Text,
        FieldDeclarationSyntax f => string.Join(", ", f.Declaration.Variables.Select(v => v.Identifier.Text)),
        PropertyDeclarationSyntax p => p.Identifier.Text,
        BaseTypeDeclarationSyntax t => t.Identifier.Text,
        _ => member.Kind().ToString(),
    };
}
