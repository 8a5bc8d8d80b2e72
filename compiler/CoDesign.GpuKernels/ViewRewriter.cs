using System.Collections.Generic;
using System.Linq;
using CoDesign.KernelSubset;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace CoDesign.GpuKernels;

/// <summary>
/// Rewrites one member of a kernel class into ILGPU's terms:
/// <list type="bullet">
/// <item><c>Span&lt;T&gt;</c> and <c>ReadOnlySpan&lt;T&gt;</c> become <c>ArrayView&lt;T&gt;</c>, <c>.Length</c> <c>.IntLength</c>;</item>
/// <item><c>.Slice</c> and range slices become sub-views, <c>.Clear()</c> and <c>.Fill()</c> loops, <c>[]</c> an empty view;</item>
/// <item><c>stackalloc T[n]</c> becomes zeroed local memory (<c>LocalMemory.Allocate</c>);</item>
/// <item><c>Math.Min</c>/<c>Max</c> and <c>BitOperations.PopCount</c> become helpers ILGPU compiles;</item>
/// <item>references to kernel classes become their <c>Gpu</c> versions.</item>
/// </list>
/// With <see cref="GpuRewriteOptions.Checked"/>, indexing (through a ref-returning helper, so the index is evaluated once), slicing and <c>/</c>, <c>%</c> are checked and
/// every method takes the fault view. Semantic questions are asked of the original nodes, before the
/// children are rewritten. Anything else that has no ILGPU form is a refusal, not an approximation.
/// </summary>
internal sealed class ViewRewriter : CSharpSyntaxRewriter
{
    private const string Support = "global::" + GpuSupportSource.Namespace;
    private readonly SemanticModel model;
    private readonly GpuRewriteOptions options;
    private readonly ISet<INamedTypeSymbol> renamed;

    public ViewRewriter(SemanticModel model, GpuRewriteOptions options, ISet<INamedTypeSymbol> renamed)
    {
        this.model = model;
        this.options = options;
        this.renamed = renamed;
    }

    /// <summary>What could not be rewritten.</summary>
    public List<KernelDiagnostic> Refusals { get; } = new List<KernelDiagnostic>();

    /// <summary>The kernel methods the member calls.</summary>
    public List<IMethodSymbol> Callees { get; } = new List<IMethodSymbol>();

    private static string Fault => GpuRewriteOptions.FaultParameter;

    public override SyntaxNode? VisitMethodDeclaration(MethodDeclarationSyntax node)
    {
        var visited = (MethodDeclarationSyntax)base.VisitMethodDeclaration(node)!;
        if (!options.IsChecked)
        {
            return visited;
        }

        ParameterSyntax fault = SyntaxFactory.Parameter(SyntaxFactory.Identifier(Fault)).WithType(SyntaxFactory.ParseTypeName("global::ILGPU.ArrayView<int>").WithTrailingTrivia(SyntaxFactory.Space))
            .WithLeadingTrivia(visited.ParameterList.Parameters.Count > 0 ? SyntaxFactory.Space : default);
        return visited.WithParameterList(visited.ParameterList.AddParameters(fault));
    }

    // A range contract throws, which ILGPU cannot compile: the GPU version leaves it out, so on the GPU
    // it is not checked (the CPU and the compiler still read it).
    public override SyntaxNode? VisitExpressionStatement(ExpressionStatementSyntax node) =>
        node.Expression is InvocationExpressionSyntax call && model.GetSymbolInfo(call).Symbol is IMethodSymbol method && CoDesign.KernelSubset.ParameterContracts.IsContract(method)
            ? null
            : base.VisitExpressionStatement(node);

    // After a fault the checked rewrite stops every loop: the CPU would have thrown, and a loop fed by
    // scratch values might not end.
    public override SyntaxNode? VisitForStatement(ForStatementSyntax node)
    {
        var visited = (ForStatementSyntax)base.VisitForStatement(node)!;
        return options.IsChecked ? visited.WithCondition(UntilFault(visited.Condition, node.Condition)) : visited;
    }

    public override SyntaxNode? VisitWhileStatement(WhileStatementSyntax node)
    {
        var visited = (WhileStatementSyntax)base.VisitWhileStatement(node)!;
        return options.IsChecked ? visited.WithCondition(UntilFault(visited.Condition, node.Condition)!) : visited;
    }

    public override SyntaxNode? VisitDoStatement(DoStatementSyntax node)
    {
        var visited = (DoStatementSyntax)base.VisitDoStatement(node)!;
        return options.IsChecked ? visited.WithCondition(UntilFault(visited.Condition, node.Condition)!) : visited;
    }

    public override SyntaxNode? VisitGenericName(GenericNameSyntax node)
    {
        if (ViewType(node) is TypeSyntax view)
        {
            return view.WithTriviaFrom(node);
        }

        return base.VisitGenericName(node);
    }

    public override SyntaxNode? VisitQualifiedName(QualifiedNameSyntax node)
    {
        if (ViewType(node) is TypeSyntax view)
        {
            return view.WithTriviaFrom(node);
        }

        return base.VisitQualifiedName(node);
    }

    public override SyntaxNode? VisitIdentifierName(IdentifierNameSyntax node)
    {
        if (!node.IsVar && model.GetSymbolInfo(node).Symbol is INamedTypeSymbol type && renamed.Contains(type.OriginalDefinition))
        {
            return SyntaxFactory.IdentifierName(GpuKernelRewriter.ClassPrefix + type.Name).WithTriviaFrom(node);
        }

        return base.VisitIdentifierName(node);
    }

    public override SyntaxNode? VisitMemberAccessExpression(MemberAccessExpressionSyntax node)
    {
        bool length = node.Name.Identifier.Text == "Length" && IsSpan(model.GetTypeInfo(node.Expression).Type) && model.GetSymbolInfo(node).Symbol is IPropertySymbol;
        var visited = (MemberAccessExpressionSyntax)base.VisitMemberAccessExpression(node)!;
        return length ? visited.WithName(SyntaxFactory.IdentifierName("IntLength")) : visited;
    }

    public override SyntaxNode? VisitInvocationExpression(InvocationExpressionSyntax node)
    {
        var method = model.GetSymbolInfo(node).Symbol as IMethodSymbol;
        var visited = (InvocationExpressionSyntax)base.VisitInvocationExpression(node)!;
        if (method is null)
        {
            return visited;
        }

        var arguments = visited.ArgumentList.Arguments.Select(a => a.ToString()).ToList();
        if (IsSpan(method.ContainingType) && visited.Expression is MemberAccessExpressionSyntax access)
        {
            string receiver = access.Expression.ToString();
            switch (method.Name)
            {
                case "Slice":
                    return Expression($"{Support}.GpuViews.Slice({Join(receiver, arguments, options.IsChecked)})", node);
                case "Clear":
                    return Expression($"{Support}.GpuViews.Clear({receiver})", node);
                case "Fill":
                    return Expression($"{Support}.GpuViews.Fill({Join(receiver, arguments, false)})", node);
                default:
                    return Refuse(node, $"call to '{method.ContainingType.Name}.{method.Name}'", "has no ArrayView form (spans keep indexing, Length, Slice, Clear and Fill)");
            }
        }

        string type = method.ContainingType.ToDisplayString();
        if (type == "System.Math" && method.Name is "Min" or "Max")
        {
            return Expression($"{Support}.GpuMath.{method.Name}({string.Join(", ", arguments)})", node);
        }

        if (type == "System.Numerics.BitOperations" && method.Name == "PopCount")
        {
            return Expression($"{Support}.GpuMath.PopCount({string.Join(", ", arguments)})", node);
        }

        if (renamed.Contains(method.ContainingType.OriginalDefinition))
        {
            Callees.Add(method.OriginalDefinition);
            if (options.IsChecked)
            {
                ArgumentSyntax fault = SyntaxFactory.Argument(SyntaxFactory.IdentifierName(Fault)).WithLeadingTrivia(visited.ArgumentList.Arguments.Count > 0 ? SyntaxFactory.Space : default);
                return visited.WithArgumentList(visited.ArgumentList.AddArguments(fault));
            }
        }

        return visited;
    }

    public override SyntaxNode? VisitElementAccessExpression(ElementAccessExpressionSyntax node)
    {
        bool span = IsSpan(model.GetTypeInfo(node.Expression).Type);
        var visited = (ElementAccessExpressionSyntax)base.VisitElementAccessExpression(node)!;
        if (!span)
        {
            return visited;
        }

        if (visited.ArgumentList.Arguments.Count != 1)
        {
            return Refuse(node, $"'{node}'", "indexes a span with more than one argument");
        }

        string receiver = visited.Expression.ToString();
        ExpressionSyntax index = visited.ArgumentList.Arguments[0].Expression;
        if (index is RangeExpressionSyntax range)
        {
            if (range.LeftOperand is PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.IndexExpression } || range.RightOperand is PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.IndexExpression })
            {
                return Refuse(node, $"'{node}'", "counts from the end (^); only ranges from the start have a sub-view form");
            }

            string start = range.LeftOperand?.ToString() ?? "0";
            var arguments = range.RightOperand is null ? new List<string> { start } : new List<string> { start, $"({range.RightOperand}) - ({start})" };
            return Expression($"{Support}.GpuViews.Slice({Join(receiver, arguments, options.IsChecked)})", node);
        }

        if (index is PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.IndexExpression })
        {
            return Refuse(node, $"'{node}'", "counts from the end (^), which has no ArrayView form");
        }

        if (!options.IsChecked)
        {
            return visited;
        }

        string element = ElementOf(model.GetTypeInfo(node.Expression).Type!)!.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        return Expression($"{Support}.GpuViews.At({receiver}, {index}, global::ILGPU.LocalMemory.Allocate<{element}>(1), {Fault})", node);
    }

    public override SyntaxNode? VisitStackAllocArrayCreationExpression(StackAllocArrayCreationExpressionSyntax node)
    {
        if (node.Initializer is not null || node.Type is not ArrayTypeSyntax array || array.RankSpecifiers.Count != 1 || array.RankSpecifiers[0].Sizes.Count != 1)
        {
            return Refuse(node, $"'{node}'", "is not stackalloc T[constant] without an initializer");
        }

        ITypeSymbol? element = model.GetTypeInfo(array.ElementType).Type;
        Optional<object?> size = model.GetConstantValue(array.RankSpecifiers[0].Sizes[0]);
        if (element is null || !size.HasValue || size.Value is not int count)
        {
            return Refuse(node, $"'{node}'", "has no constant int size");
        }

        if (!Blittable(element))
        {
            return Refuse(node, $"'{node}'", ElementWhy(element));
        }

        string type = element.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        return Expression($"{Support}.GpuViews.Zeroed(global::ILGPU.LocalMemory.Allocate<{type}>({count}))", node);
    }

    public override SyntaxNode? VisitImplicitStackAllocArrayCreationExpression(ImplicitStackAllocArrayCreationExpressionSyntax node) =>
        Refuse(node, $"'{node}'", "is not stackalloc T[constant] without an initializer");

    public override SyntaxNode? VisitCollectionExpression(CollectionExpressionSyntax node)
    {
        ITypeSymbol? target = model.GetTypeInfo(node).ConvertedType;
        if (node.Elements.Count == 0 && IsSpan(target) && ElementOf(target!) is ITypeSymbol element)
        {
            return EmptyView(element, node);
        }

        return Refuse(node, $"'{node}'", "is a collection expression other than an empty span");
    }

    public override SyntaxNode? VisitLiteralExpression(LiteralExpressionSyntax node)
    {
        if (node.IsKind(SyntaxKind.DefaultLiteralExpression) && model.GetTypeInfo(node).ConvertedType is ITypeSymbol target && IsSpan(target) && ElementOf(target) is ITypeSymbol element)
        {
            return EmptyView(element, node);
        }

        return base.VisitLiteralExpression(node);
    }

    public override SyntaxNode? VisitBinaryExpression(BinaryExpressionSyntax node)
    {
        string? helper = node.Kind() switch
        {
            SyntaxKind.DivideExpression => "Divide",
            SyntaxKind.ModuloExpression => "Remainder",
            _ => null,
        };
        ITypeSymbol? type = helper is null || !options.IsChecked ? null : (model.GetOperation(node) as IBinaryOperation) is { OperatorMethod: null } operation ? operation.Type : null;
        var visited = (BinaryExpressionSyntax)base.VisitBinaryExpression(node)!;
        if (type is null)
        {
            return visited;
        }

        string name = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        return Expression($"{Support}.GpuArithmetic.{helper}(unchecked(({name})({visited.Left})), unchecked(({name})({visited.Right})), {Fault})", node);
    }

    public override SyntaxNode? VisitAssignmentExpression(AssignmentExpressionSyntax node)
    {
        string? helper = node.Kind() switch
        {
            SyntaxKind.DivideAssignmentExpression => "Divide",
            SyntaxKind.ModuloAssignmentExpression => "Remainder",
            _ => null,
        };
        ITypeSymbol? left = model.GetTypeInfo(node.Left).Type;
        ITypeSymbol? right = model.GetTypeInfo(node.Right).Type;
        bool pure = IsPure(node.Left);
        var visited = (AssignmentExpressionSyntax)base.VisitAssignmentExpression(node)!;
        if (helper is null || !options.IsChecked || left is null || right is null)
        {
            return visited;
        }

        if (!pure)
        {
            return Refuse(node, $"'{node}'", "divides into a target with side effects; write it as x = x / y");
        }

        string promoted = Promote(left, right);
        string target = left.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        return Expression($"{visited.Left} = unchecked(({target}){Support}.GpuArithmetic.{helper}(unchecked(({promoted})({visited.Left})), unchecked(({promoted})({visited.Right})), {Fault}))", node);
    }

    // A loop without a condition, or with a constant one, keeps it: C#'s flow analysis relies on it
    // (code after while (true) is unreachable), so such a loop ends by its own break or return only.
    private ExpressionSyntax? UntilFault(ExpressionSyntax? condition, ExpressionSyntax? original) =>
        condition is null || original is null || model.GetConstantValue(original).HasValue
            ? condition
            : SyntaxFactory.ParseExpression($"({condition}) && {Fault}[0] == 0");

    private static ExpressionSyntax EmptyView(ITypeSymbol element, SyntaxNode node) =>
        Expression($"default(global::ILGPU.ArrayView<{element.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)}>)", node);

    private TypeSyntax? ViewType(TypeSyntax node)
    {
        if (model.GetSymbolInfo(node).Symbol is not INamedTypeSymbol type || !IsSpan(type) || ElementOf(type) is not ITypeSymbol element)
        {
            return null;
        }

        if (!Blittable(element))
        {
            Refuse(node, $"'{node}'", ElementWhy(element));
        }

        return SyntaxFactory.ParseTypeName($"global::ILGPU.ArrayView<{element.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)}>");
    }

    private ExpressionSyntax Refuse(SyntaxNode node, string construct, string why)
    {
        Refusals.Add(KernelDiagnostic.At(node.GetLocation(), Code(why), construct, why));
        return node is ExpressionSyntax expression ? expression : SyntaxFactory.IdentifierName("refused");
    }

    private static string Code(string why) => why.StartsWith("divides", System.StringComparison.Ordinal)
        ? GpuRewriteCodes.CompoundTarget
        : why.StartsWith("has element type", System.StringComparison.Ordinal) ? GpuRewriteCodes.ElementType : GpuRewriteCodes.Construct;

    private static string ElementWhy(ITypeSymbol element) =>
        $"has element type '{element.ToDisplayString()}', which ILGPU buffers cannot hold (they take blittable types; use byte or ushort)";

    private static ExpressionSyntax Expression(string text, SyntaxNode original) =>
        SyntaxFactory.ParseExpression(text).WithTriviaFrom(original);

    private static string Join(string receiver, List<string> arguments, bool withFault)
    {
        var all = new List<string> { receiver };
        all.AddRange(arguments);
        if (withFault)
        {
            all.Add(Fault);
        }

        return string.Join(", ", all);
    }

    private bool IsPure(ExpressionSyntax target) => target switch
    {
        IdentifierNameSyntax => true,
        ElementAccessExpressionSyntax access => access.Expression is IdentifierNameSyntax && access.ArgumentList.Arguments.All(a => a.Expression is IdentifierNameSyntax or LiteralExpressionSyntax),
        _ => false,
    };

    // C#'s binary numeric promotion of two integer types.
    private static string Promote(ITypeSymbol left, ITypeSymbol right)
    {
        SpecialType a = left.SpecialType;
        SpecialType b = right.SpecialType;
        bool Either(SpecialType t) => a == t || b == t;
        bool Signed(SpecialType t) => t is SpecialType.System_SByte or SpecialType.System_Int16 or SpecialType.System_Int32;
        if (Either(SpecialType.System_UInt64))
        {
            return "ulong";
        }

        if (Either(SpecialType.System_Int64) || (a == SpecialType.System_UInt32 && Signed(b)) || (b == SpecialType.System_UInt32 && Signed(a)))
        {
            return "long";
        }

        return Either(SpecialType.System_UInt32) ? "uint" : "int";
    }

    private static bool IsSpan(ITypeSymbol? type) =>
        type is INamedTypeSymbol { IsGenericType: true } named
        && named.Name is "Span" or "ReadOnlySpan"
        && named.ContainingNamespace?.ToDisplayString() == "System";

    private static ITypeSymbol? ElementOf(ITypeSymbol type) =>
        type is INamedTypeSymbol { TypeArguments.Length: 1 } named ? named.TypeArguments[0] : null;

    private static bool Blittable(ITypeSymbol element) =>
        element.SpecialType is not (SpecialType.System_Boolean or SpecialType.System_Char);
}
