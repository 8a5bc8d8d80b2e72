using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CoDesign.KernelSubset;

/// <summary>
/// Range contracts on a kernel's integer parameters: calls of .NET's own
/// <c>ArgumentOutOfRangeException.ThrowIfNegative</c>, <c>ThrowIfNegativeOrZero</c>,
/// <c>ThrowIfGreaterThan</c>, <c>ThrowIfGreaterThanOrEqual</c>, <c>ThrowIfLessThan</c> and
/// <c>ThrowIfLessThanOrEqual</c>, with a parameter and an integer literal, as the first statements of
/// the method body. On the CPU they throw when a caller breaks them; the compiler reads them as the
/// parameter's range (its port needs only those bits) and drops them from the hardware.
/// </summary>
public static class ParameterContracts
{
    private const string ExceptionType = "ArgumentOutOfRangeException";

    /// <summary>True for one of the contract methods (any other <c>ThrowIf</c> is not one).</summary>
    public static bool IsContract(IMethodSymbol method) =>
        method.IsStatic
        && method.ContainingType is { Name: ExceptionType } type
        && SubsetTypes.IsSystem(type.ContainingNamespace)
        && IsContractName(method.Name);

    /// <summary>
    /// The ranges the contracts at the start of <paramref name="method"/>'s body give its parameters,
    /// by parameter name (the intersection where several name one parameter). Reads syntax only; the
    /// subset checker makes sure the calls are what they look like.
    /// </summary>
    public static IReadOnlyDictionary<string, (long Low, long High)> Ranges(BaseMethodDeclarationSyntax method)
    {
        var ranges = new Dictionary<string, (long Low, long High)>(System.StringComparer.Ordinal);
        if (method.Body is null)
        {
            return ranges;
        }

        foreach (StatementSyntax statement in method.Body.Statements)
        {
            if (!TryRead(statement, out string name, out long low, out long high))
            {
                break;
            }

            (long Low, long High) known = ranges.TryGetValue(name, out var range) ? range : (long.MinValue, long.MaxValue);
            ranges[name] = (System.Math.Max(known.Low, low), System.Math.Min(known.High, high));
        }

        return ranges;
    }

    /// <summary>
    /// Why <paramref name="call"/> (a contract method's call) is not a contract the compiler can use,
    /// or null when it is: a statement of its own at the start of the body, on a parameter, with a literal bound.
    /// </summary>
    public static string? Misuse(InvocationExpressionSyntax call)
    {
        if (call.Parent is not ExpressionStatementSyntax statement
            || statement.Parent is not BlockSyntax body
            || body.Parent is not BaseMethodDeclarationSyntax)
        {
            return "must be a statement of its own in a method's block body";
        }

        foreach (StatementSyntax before in body.Statements.TakeWhile(s => s != statement))
        {
            if (!TryRead(before, out _, out _, out _))
            {
                return "must come before any other statement of the method (a precondition on its inputs)";
            }
        }

        return TryRead(statement, out _, out _, out _)
            ? null
            : "must name a parameter of the method and, where it takes one, an integer literal as the bound";
    }

    private static bool IsContractName(string name) => name is "ThrowIfNegative" or "ThrowIfNegativeOrZero"
        or "ThrowIfGreaterThan" or "ThrowIfGreaterThanOrEqual" or "ThrowIfLessThan" or "ThrowIfLessThanOrEqual";

    /// <summary>Reads <c>ArgumentOutOfRangeException.ThrowIfX(parameter[, literal]);</c> as a range of the parameter.</summary>
    private static bool TryRead(StatementSyntax statement, out string name, out long low, out long high)
    {
        name = string.Empty;
        low = long.MinValue;
        high = long.MaxValue;
        if (statement is not ExpressionStatementSyntax { Expression: InvocationExpressionSyntax call }
            || call.Expression is not MemberAccessExpressionSyntax access
            || !IsContractName(access.Name.Identifier.ValueText)
            || LastName(access.Expression) != ExceptionType
            || call.ArgumentList.Arguments.Count == 0
            || call.ArgumentList.Arguments[0].Expression is not IdentifierNameSyntax parameter
            || call.FirstAncestorOrSelf<BaseMethodDeclarationSyntax>()?.ParameterList.Parameters.Any(p => p.Identifier.ValueText == parameter.Identifier.ValueText) != true)
        {
            return false;
        }

        name = parameter.Identifier.ValueText;
        string method = access.Name.Identifier.ValueText;
        if (method is "ThrowIfNegative" or "ThrowIfNegativeOrZero")
        {
            low = method == "ThrowIfNegative" ? 0 : 1;
            return call.ArgumentList.Arguments.Count == 1;
        }

        if (call.ArgumentList.Arguments.Count != 2 || !TryLiteral(call.ArgumentList.Arguments[1].Expression, out long bound))
        {
            return false;
        }

        switch (method)
        {
            case "ThrowIfGreaterThan": high = bound; break;
            case "ThrowIfGreaterThanOrEqual": high = bound - 1; break;
            case "ThrowIfLessThan": low = bound; break;
            default: low = bound + 1; break;
        }

        return true;
    }

    private static string? LastName(ExpressionSyntax expression) => expression switch
    {
        IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
        MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
        AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
        _ => null,
    };

    /// <summary>An integer literal, optionally negated, that fits a long.</summary>
    private static bool TryLiteral(ExpressionSyntax expression, out long value)
    {
        bool negative = false;
        if (expression is PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.UnaryMinusExpression } minus)
        {
            negative = true;
            expression = minus.Operand;
        }

        value = 0;
        if (expression is not LiteralExpressionSyntax { RawKind: (int)SyntaxKind.NumericLiteralExpression } literal
            || literal.Token.Value is null or float or double or decimal)
        {
            return false;
        }

        decimal number = System.Convert.ToDecimal(literal.Token.Value, CultureInfo.InvariantCulture);
        number = negative ? -number : number;
        if (number is < long.MinValue or > long.MaxValue)
        {
            return false;
        }

        value = (long)number;
        return true;
    }
}
