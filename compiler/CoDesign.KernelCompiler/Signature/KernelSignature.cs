using Microsoft.CodeAnalysis;

namespace CoDesign.KernelCompiler.Signature;

/// <summary>
/// What a kernel method takes and gives: the interface shared by the CPU call, the IR interpreter
/// and the generated module.
/// </summary>
public sealed record KernelSignature(string Name, IReadOnlyList<KernelParameter> Parameters, KernelValueType? Return)
{
    /// <summary>
    /// The signature of a method whose parameter and return types are in the subset; null when one is
    /// not (the subset checker says which and why).
    /// </summary>
    public static KernelSignature? Of(IMethodSymbol method)
    {
        var parameters = new List<KernelParameter>();
        IReadOnlyDictionary<string, (long Low, long High)> contracts = Contracts(method);
        foreach (IParameterSymbol parameter in method.Parameters)
        {
            KernelParameter? converted = ParameterOf(parameter);
            if (converted is null)
            {
                return null;
            }

            if (converted.Kind == KernelParameterKind.Scalar && !converted.Type.IsBool && contracts.TryGetValue(parameter.Name, out var range))
            {
                // Within the type as well: a contract wider than the type adds nothing.
                long typeHigh = (long)Math.Min(converted.Type.MaxValue, long.MaxValue);
                converted = converted with { Range = (Math.Max(range.Low, converted.Type.MinValue), Math.Min(range.High, typeHigh)) };
            }

            parameters.Add(converted);
        }

        KernelValueType? result = null;
        if (!method.ReturnsVoid)
        {
            result = KernelValueType.Of(method.ReturnType);
            if (result is null)
            {
                return null;
            }
        }

        return new KernelSignature($"{method.ContainingType.Name}.{method.Name}", parameters, result);
    }

    /// <summary>The range contracts at the start of the method's body (see <see cref="KernelSubset.ParameterContracts"/>).</summary>
    private static IReadOnlyDictionary<string, (long Low, long High)> Contracts(IMethodSymbol method) =>
        method.DeclaringSyntaxReferences.Select(r => r.GetSyntax()).OfType<Microsoft.CodeAnalysis.CSharp.Syntax.BaseMethodDeclarationSyntax>().FirstOrDefault() is { } declaration
            ? KernelSubset.ParameterContracts.Ranges(declaration)
            : new Dictionary<string, (long Low, long High)>();

    private static KernelParameter? ParameterOf(IParameterSymbol parameter)
    {
        if (parameter.Type is INamedTypeSymbol { IsGenericType: true, TypeArguments: [ITypeSymbol element] } named
            && named.ContainingNamespace?.ToDisplayString() == "System"
            && parameter.RefKind == RefKind.None)
        {
            KernelValueType? elementType = KernelValueType.Of(element);
            KernelParameterKind? kind = named.Name switch
            {
                "Span" => KernelParameterKind.Span,
                "ReadOnlySpan" => KernelParameterKind.ReadOnlySpan,
                _ => null,
            };
            return elementType is null || kind is null ? null : new KernelParameter(parameter.Name, elementType.Value, kind.Value);
        }

        KernelValueType? type = KernelValueType.Of(parameter.Type);
        return (type, parameter.RefKind) switch
        {
            (null, _) => null,
            (_, RefKind.None) => new KernelParameter(parameter.Name, type.Value, KernelParameterKind.Scalar),
            (_, RefKind.Out) => new KernelParameter(parameter.Name, type.Value, KernelParameterKind.Out),
            _ => null,
        };
    }
}
