using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CoDesign.KernelSubset;

/// <summary>
/// The rules on a method's declaration: static, and ports a kernel can have (values, out scalars,
/// spans by value; a scalar or nothing returned).
/// </summary>
internal static class SignatureRules
{
    public static void Check(IMethodSymbol method, List<Violation> violations)
    {
        Location name = method.Locations.FirstOrDefault() ?? Location.None;
        if (!method.IsStatic && method.MethodKind != MethodKind.LocalFunction)
        {
            string what = method.MethodKind switch
            {
                MethodKind.Constructor => $"constructor of '{method.ContainingType.Name}'",
                MethodKind.Destructor => $"finalizer of '{method.ContainingType.Name}'",
                _ when method.AssociatedSymbol is { } member => $"accessor of '{Echo.Member(member)}'",
                _ => $"instance method '{Echo.Member(method)}'",
            };
            violations.Add(new Violation(name, SubsetCodes.StateOrMember, what, Why.InstanceMethod));
        }

        if (!method.ReturnsVoid && method.MethodKind != MethodKind.Constructor)
        {
            Location returnType = ReturnTypeLocation(method) ?? name;
            string type = SubsetTypes.Name(method.ReturnType);
            if (method.ReturnsByRef || method.ReturnsByRefReadonly)
            {
                violations.Add(new Violation(returnType, SubsetCodes.UnsupportedParameter, $"ref return of '{type}'", Why.RefReturn));
            }
            else if (SubsetTypes.Classify(method.ReturnType) == TypeClass.FloatingPoint)
            {
                violations.Add(new Violation(returnType, SubsetCodes.FloatingPoint, $"floating-point return type '{type}'", Why.FloatingPoint));
            }
            else if (SubsetTypes.Classify(method.ReturnType) == TypeClass.Unsupported)
            {
                violations.Add(new Violation(returnType, SubsetCodes.UnsupportedParameter, $"return type '{type}'", Why.UnsupportedType));
            }
            else if (SubsetTypes.IsSpan(method.ReturnType))
            {
                violations.Add(new Violation(returnType, SubsetCodes.UnsupportedParameter, $"return type '{type}'", Why.SpanReturn));
            }
        }

        foreach (IParameterSymbol parameter in method.Parameters)
        {
            CheckParameter(parameter, violations);
        }
    }

    private static Location? ReturnTypeLocation(IMethodSymbol method)
    {
        SyntaxNode? syntax = method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax();
        return syntax switch
        {
            MethodDeclarationSyntax m => m.ReturnType.GetLocation(),
            OperatorDeclarationSyntax o => o.ReturnType.GetLocation(),
            ConversionOperatorDeclarationSyntax c => c.Type.GetLocation(),
            _ => null,
        };
    }

    private static void CheckParameter(IParameterSymbol parameter, List<Violation> violations)
    {
        Location location = parameter.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax().GetLocation()
            ?? parameter.Locations.FirstOrDefault()
            ?? Location.None;
        string type = SubsetTypes.Name(parameter.Type);
        TypeClass kind = SubsetTypes.Classify(parameter.Type);
        if (parameter.RefKind is not RefKind.None and not RefKind.Out)
        {
            string keyword = parameter.RefKind switch
            {
                RefKind.Ref => "ref",
                RefKind.In => "in",
                _ => "ref readonly",
            };
            violations.Add(new Violation(location, SubsetCodes.UnsupportedParameter, $"{keyword} parameter '{parameter.Name}'", Why.RefParameter));
        }
        else if (parameter.IsParams)
        {
            violations.Add(new Violation(location, SubsetCodes.UnsupportedParameter, $"params parameter '{parameter.Name}'", Why.ParamsParameter));
        }
        else if (parameter.IsOptional)
        {
            violations.Add(new Violation(location, SubsetCodes.UnsupportedParameter, $"optional parameter '{parameter.Name}'", Why.OptionalParameter));
        }
        else if (kind == TypeClass.FloatingPoint)
        {
            violations.Add(new Violation(location, SubsetCodes.FloatingPoint, $"floating-point parameter '{parameter.Name}' of type '{type}'", Why.FloatingPoint));
        }
        else if (kind == TypeClass.Unsupported)
        {
            violations.Add(new Violation(location, SubsetCodes.UnsupportedParameter, $"parameter '{parameter.Name}' of type '{type}'", Why.UnsupportedType));
        }
        else if (parameter.RefKind == RefKind.Out && SubsetTypes.IsSpan(parameter.Type))
        {
            violations.Add(new Violation(location, SubsetCodes.UnsupportedParameter, $"out parameter '{parameter.Name}' of type '{type}'", Why.OutSpan));
        }
    }
}
