using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace CoDesign.KernelSubset;

/// <summary>
/// Scans one method's signature and body (its IOperation tree, plus a few syntax-only constructs such
/// as <c>checked</c>) for violations, and lists the source methods it calls. Callees are not entered:
/// <see cref="SubsetSession"/> follows them, so that each method is scanned once.
/// </summary>
internal sealed class MethodScanner
{
    private readonly Compilation compilation;
    private readonly Func<SyntaxTree, SemanticModel> models;
    private readonly List<Violation> violations = [];
    private readonly List<CallSite> calls = [];

    // While the initializer of a declaration already refused for its type is walked, literals and
    // casts of that same kind of type would repeat the refusal, so they stay quiet.
    private TypeClass quiet = TypeClass.Supported;

    private MethodScanner(Compilation compilation, Func<SyntaxTree, SemanticModel> models)
    {
        this.compilation = compilation;
        this.models = models;
    }

    public static MethodScan Scan(IMethodSymbol method, Compilation compilation, Func<SyntaxTree, SemanticModel> models)
    {
        var scanner = new MethodScanner(compilation, models);
        SignatureRules.Check(method, scanner.violations);
        scanner.CheckBody(method);
        return new MethodScan(method, scanner.violations, scanner.calls);
    }

    /// <summary>The method whose body a call runs: the generic definition, the implementation of a partial.</summary>
    public static IMethodSymbol Definition(IMethodSymbol method)
    {
        IMethodSymbol definition = (method.ReducedFrom ?? method).OriginalDefinition;
        return definition.PartialImplementationPart ?? definition;
    }

    private void Report(Location location, string code, string construct, string why) =>
        violations.Add(new Violation(location, code, construct, why));

    private void Report(SyntaxNode node, string code, string construct, string why) =>
        Report(node.GetLocation(), code, construct, why);

    private void CheckBody(IMethodSymbol method)
    {
        IMethodSymbol implementation = method.PartialImplementationPart ?? method;
        foreach (SyntaxReference reference in implementation.DeclaringSyntaxReferences)
        {
            SyntaxNode node = reference.GetSyntax();
            if (node is not (BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or ArrowExpressionClauseSyntax))
            {
                continue;
            }

            CheckSyntaxOnly(node);
            IOperation? body = models(node.SyntaxTree).GetOperation(node);
            if (body is not null)
            {
                Visit(body);
            }
        }
    }

    // Constructs the operation tree does not show as such: 'checked' marks its operations
    // IsChecked (as a checked compilation would), and unsafe blocks are plain blocks.
    private void CheckSyntaxOnly(SyntaxNode body)
    {
        foreach (SyntaxNode node in body.DescendantNodes(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)))
        {
            switch (node)
            {
                case CheckedExpressionSyntax expression when expression.IsKind(SyntaxKind.CheckedExpression):
                    Report(expression, SubsetCodes.CheckedArithmetic, Echo.Quote(expression), Why.Checked);
                    break;
                case CheckedStatementSyntax statement when statement.IsKind(SyntaxKind.CheckedStatement):
                    Report(statement, SubsetCodes.CheckedArithmetic, "'checked' block", Why.Checked);
                    break;
                case UnsafeStatementSyntax statement:
                    Report(statement, SubsetCodes.UnsupportedStatement, "'unsafe' block", Why.Pointers);
                    break;
                case FixedStatementSyntax statement:
                    Report(statement, SubsetCodes.UnsupportedStatement, "'fixed' statement", Why.Pointers);
                    break;
            }
        }
    }

    private void Visit(IOperation? operation)
    {
        if (operation is not null && Check(operation))
        {
            VisitAll(operation.ChildOperations);
        }
    }

    private void VisitAll(IEnumerable<IOperation> operations)
    {
        foreach (IOperation operation in operations)
        {
            Visit(operation);
        }
    }

    /// <summary>Reports what is wrong with <paramref name="operation"/> itself; true to walk its children.</summary>
    private bool Check(IOperation operation)
    {
        SyntaxNode syntax = operation.Syntax;
        if (syntax is StackAllocArrayCreationExpressionSyntax or ImplicitStackAllocArrayCreationExpressionSyntax && operation is not IConversionOperation)
        {
            CheckStackalloc(syntax);
            return true;
        }

        if (IsChecked(operation) && !IsChecked(operation.Parent) && !InCheckedSyntax(syntax))
        {
            Report(syntax, SubsetCodes.CheckedArithmetic, Echo.Quote(syntax), Why.CheckedProject);
        }

        switch (operation)
        {
            // Structure, names and values that need no check of their own.
            case IMethodBodyOperation:
            case IConstructorBodyOperation:
            case IBlockOperation:
            case IExpressionStatementOperation:
            case IVariableDeclarationGroupOperation:
            case IVariableDeclaratorOperation:
            case IVariableInitializerOperation:
            case IArgumentOperation:
            case IEmptyOperation:
            case ILocalReferenceOperation:
            case IParameterReferenceOperation:
            case IDiscardOperation:
            case IInstanceReferenceOperation:
            case ICompoundAssignmentOperation:
            case IIncrementOrDecrementOperation:
            case IIsPatternOperation:
            case IConstantPatternOperation:
            case IRelationalPatternOperation:
            case IBinaryPatternOperation:
            case INegatedPatternOperation:
            case IDiscardPatternOperation:
            // An array's element or an index/range indexer: the array, the '^' or the '..' is refused.
            case IArrayElementReferenceOperation:
            case IImplicitIndexerReferenceOperation:
                return true;
            case INameOfOperation:
                return false;
            case IVariableDeclarationOperation declaration:
                CheckDeclaration(declaration);
                return false;
            case IDeclarationExpressionOperation declaration:
                CheckDeclarationExpression(declaration);
                return false;
            case ILiteralOperation literal:
                CheckLiteral(literal);
                return false;
            case IDefaultValueOperation value:
                CheckDefault(value);
                return false;
            case ISizeOfOperation size:
                return CheckConstant(size);
            case IFieldReferenceOperation field:
                CheckField(field);
                return false;
            case IPropertyReferenceOperation property:
                return CheckProperty(property);
            case IInvocationOperation invocation:
                return CheckInvocation(invocation);
            case IConversionOperation conversion:
                return CheckConversion(conversion);
            case IBinaryOperation binary:
                return CheckBinary(binary);
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Hat }:
                Report(syntax, SubsetCodes.UnsupportedExpression, $"index from end {Echo.Quote(syntax)}", Why.Outside);
                return false;
            case IUnaryOperation:
                return true;
            case ISimpleAssignmentOperation assignment:
                return CheckAssignment(assignment);
            case IConditionalOperation conditional:
                return CheckConditional(conditional);
            case IReturnOperation { Kind: OperationKind.YieldReturn or OperationKind.YieldBreak }:
                Report(syntax, SubsetCodes.UnsupportedStatement, "'yield' statement", Why.Yield);
                return false;
            case IReturnOperation:
                return true;
            case IBranchOperation { BranchKind: BranchKind.GoTo }:
                Report(syntax, SubsetCodes.UnsupportedStatement, "'goto' statement", Why.GoTo);
                return false;
            case IBranchOperation:
                return true;
            case ILoopOperation { LoopKind: LoopKind.ForEach } loop:
                Report(syntax, SubsetCodes.UnsupportedStatement, "'foreach' statement", Why.ForEach);
                Visit(loop.Body);
                return false;
            case ILoopOperation:
                return true;
            case ISwitchOperation switchStatement:
                Report(syntax, SubsetCodes.UnsupportedStatement, "'switch' statement", Why.Switch);
                VisitAll(switchStatement.Cases.SelectMany(c => c.Body));
                return false;
            case ILabeledOperation label:
                Report(syntax, SubsetCodes.UnsupportedStatement, $"label '{label.Label.Name}'", Why.GoTo);
                Visit(label.Operation);
                return false;
            case ILockOperation lockStatement:
                Report(syntax, SubsetCodes.UnsupportedStatement, "'lock' statement", Why.Lock);
                Visit(lockStatement.Body);
                return false;
            case IUsingOperation usingStatement:
                Report(syntax, SubsetCodes.UnsupportedStatement, "'using' statement", Why.Using);
                Visit(usingStatement.Body);
                return false;
            case IUsingDeclarationOperation:
                Report(syntax, SubsetCodes.UnsupportedStatement, "'using' declaration", Why.Using);
                return false;
            case IAwaitOperation:
                Report(syntax, SubsetCodes.UnsupportedStatement, Echo.Quote(syntax), Why.Await);
                return false;
            case ILocalFunctionOperation function:
                Report(syntax, SubsetCodes.UnsupportedStatement, $"local function '{function.Symbol.Name}'", Why.LocalFunction);
                return false;
            case ITryOperation tryStatement:
                Report(syntax, SubsetCodes.Exceptions, "'try' statement", Why.Try);
                Visit(tryStatement.Body);
                VisitAll(tryStatement.Catches.Select(c => c.Handler));
                Visit(tryStatement.Finally);
                return false;
            case IThrowOperation:
                Report(syntax, SubsetCodes.Exceptions, Echo.Quote(syntax), Why.Throw);
                return false;
            case IArrayCreationOperation:
            case IAnonymousObjectCreationOperation:
            case ITypeParameterObjectCreationOperation:
                Report(syntax, SubsetCodes.Allocation, Echo.Quote(syntax), Why.Heap);
                return false;
            case IObjectCreationOperation creation:
                CheckCreation(creation);
                return false;
            case ICollectionExpressionOperation collection:
                if (collection.Elements.Length > 0 || !SubsetTypes.IsSpan(collection.Type))
                {
                    Report(syntax, SubsetCodes.Allocation, Echo.Quote(syntax), Why.Collection);
                }

                return false;
            case IDelegateCreationOperation:
            case IAnonymousFunctionOperation:
                Report(syntax, SubsetCodes.Allocation, Echo.Quote(syntax), Why.Delegate);
                return false;
            case IInterpolatedStringOperation:
            case IInterpolatedStringHandlerCreationOperation:
                Report(syntax, SubsetCodes.Allocation, Echo.Quote(syntax), Why.StringBuilding);
                return false;
            case IIsTypeOperation:
                Report(syntax, SubsetCodes.UnsupportedExpression, Echo.Quote(syntax), Why.TypeTest);
                return false;
            case IPatternOperation:
                Report(syntax, SubsetCodes.UnsupportedExpression, $"pattern {Echo.Quote(syntax)}", Why.Pattern);
                return false;
            case ITupleOperation:
            case IDeconstructionAssignmentOperation:
                Report(syntax, SubsetCodes.UnsupportedExpression, Echo.Quote(syntax), Why.Tuple);
                return false;
            case IInvalidOperation:
                // The C# compiler reports it; a second message would only repeat it.
                return false;
            case { Kind: OperationKind.None } when syntax is FixedStatementSyntax:
                return false;
            default:
                string code = syntax is StatementSyntax ? SubsetCodes.UnsupportedStatement : SubsetCodes.UnsupportedExpression;
                Report(syntax, code, Echo.Quote(syntax), Why.Outside);
                return false;
        }
    }

    // Arithmetic that throws on overflow: in 'checked' code, or anywhere in a project built with
    // CheckForOverflowUnderflow. Only the outermost of nested checked operations is reported.
    private static bool IsChecked(IOperation? operation) => operation switch
    {
        IBinaryOperation binary => binary.IsChecked,
        IUnaryOperation unary => unary.IsChecked,
        IConversionOperation conversion => conversion.IsChecked,
        ICompoundAssignmentOperation compound => compound.IsChecked,
        IIncrementOrDecrementOperation step => step.IsChecked,
        _ => false,
    };

    // Explicit 'checked' code is reported once, at the keyword, by CheckSyntaxOnly.
    private static bool InCheckedSyntax(SyntaxNode syntax) =>
        syntax.AncestorsAndSelf().Any(n => n.IsKind(SyntaxKind.CheckedExpression) || n.IsKind(SyntaxKind.CheckedStatement));

    private void CheckDeclaration(IVariableDeclarationOperation declaration)
    {
        Location type = declaration.Syntax is VariableDeclarationSyntax variables ? variables.Type.GetLocation() : declaration.Syntax.GetLocation();
        TypeClass refused = TypeClass.Supported;
        foreach (IVariableDeclaratorOperation declarator in declaration.Declarators)
        {
            refused = CheckLocal(declarator.Symbol, type);
            if (refused != TypeClass.Supported)
            {
                break;
            }
        }

        TypeClass saved = quiet;
        quiet = refused;
        VisitAll(declaration.ChildOperations);
        quiet = saved;
    }

    private void CheckDeclarationExpression(IDeclarationExpressionOperation declaration)
    {
        if (declaration.Expression is ILocalReferenceOperation local)
        {
            Location type = declaration.Syntax is DeclarationExpressionSyntax declared ? declared.Type.GetLocation() : declaration.Syntax.GetLocation();
            _ = CheckLocal(local.Local, type);
        }
        else
        {
            Report(declaration.Syntax, SubsetCodes.UnsupportedExpression, Echo.Quote(declaration.Syntax), Why.Tuple);
        }
    }

    /// <summary>Reports a local of a refused type (or a ref local); returns how the type was refused.</summary>
    private TypeClass CheckLocal(ILocalSymbol local, Location type)
    {
        if (local.IsRef)
        {
            Report(type, SubsetCodes.UnsupportedType, $"ref local '{local.Name}'", Why.RefLocal);
            return TypeClass.Unsupported;
        }

        TypeClass kind = SubsetTypes.Classify(local.Type);
        if (kind == TypeClass.FloatingPoint)
        {
            Report(type, SubsetCodes.FloatingPoint, $"floating-point type '{SubsetTypes.Name(local.Type)}'", Why.FloatingPoint);
        }
        else if (kind == TypeClass.Unsupported)
        {
            Report(type, SubsetCodes.UnsupportedType, $"type '{SubsetTypes.Name(local.Type)}'", Why.UnsupportedType);
        }

        return kind;
    }

    private void CheckLiteral(ILiteralOperation literal)
    {
        TypeClass kind = SubsetTypes.Classify(literal.Type);
        if (kind == quiet)
        {
            return;
        }

        if (kind == TypeClass.FloatingPoint)
        {
            Report(literal.Syntax, SubsetCodes.FloatingPoint, $"floating-point literal {Echo.Quote(literal.Syntax)}", Why.FloatingPoint);
        }
        else if (kind == TypeClass.Unsupported)
        {
            Report(literal.Syntax, SubsetCodes.UnsupportedType, $"literal {Echo.Quote(literal.Syntax)} of type '{SubsetTypes.Name(literal.Type)}'", Why.UnsupportedType);
        }
    }

    private void CheckDefault(IDefaultValueOperation value)
    {
        TypeClass kind = SubsetTypes.Classify(value.Type);
        if (kind == quiet)
        {
            return;
        }

        if (kind == TypeClass.FloatingPoint)
        {
            Report(value.Syntax, SubsetCodes.FloatingPoint, $"{Echo.Quote(value.Syntax)} of type '{SubsetTypes.Name(value.Type)}'", Why.FloatingPoint);
        }
        else if (kind == TypeClass.Unsupported)
        {
            Report(value.Syntax, SubsetCodes.UnsupportedType, $"{Echo.Quote(value.Syntax)} of type '{SubsetTypes.Name(value.Type)}'", Why.UnsupportedType);
        }
    }

    private bool CheckConstant(IOperation operation)
    {
        if (!operation.ConstantValue.HasValue)
        {
            Report(operation.Syntax, SubsetCodes.UnsupportedExpression, Echo.Quote(operation.Syntax), Why.Outside);
        }

        return false;
    }

    private void CheckField(IFieldReferenceOperation reference)
    {
        IFieldSymbol field = reference.Field;
        string name = Echo.Member(field);
        if (field.IsConst)
        {
            TypeClass kind = SubsetTypes.Classify(field.Type);
            if (kind == quiet)
            {
                return;
            }

            if (kind == TypeClass.FloatingPoint)
            {
                Report(reference.Syntax, SubsetCodes.FloatingPoint, $"floating-point constant '{name}'", Why.FloatingPoint);
            }
            else if (kind == TypeClass.Unsupported)
            {
                Report(reference.Syntax, SubsetCodes.UnsupportedType, $"constant '{name}' of type '{SubsetTypes.Name(field.Type)}'", Why.UnsupportedType);
            }
        }
        else if (field.IsStatic)
        {
            Report(reference.Syntax, SubsetCodes.StateOrMember, $"static field '{name}'", Why.StaticField);
        }
        else
        {
            Report(reference.Syntax, SubsetCodes.StateOrMember, $"instance field '{name}'", Why.InstanceField);
        }
    }

    private bool CheckProperty(IPropertyReferenceOperation reference)
    {
        IPropertySymbol property = reference.Property;
        if (Intrinsics.IsIntrinsic(property))
        {
            return true;
        }

        string what = property.IsIndexer ? $"indexer of '{SubsetTypes.Name(property.ContainingType)}'" : $"property '{Echo.Member(property)}'";
        Report(reference.Syntax, SubsetCodes.StateOrMember, what, Why.Property);
        return false;
    }

    private bool CheckInvocation(IInvocationOperation invocation)
    {
        IMethodSymbol method = invocation.TargetMethod;
        IMethodSymbol definition = Definition(method);
        SyntaxNode syntax = invocation.Syntax;
        string what = $"call to '{Echo.Member(method)}'";
        bool source = IsSource(definition);
        if (!source && UsesFloatingPoint(method))
        {
            Report(syntax, SubsetCodes.FloatingPoint, what, Why.FloatingCall);
            return false;
        }

        // A range contract is a precondition the CPU checks and the compiler reads; its caller-expression
        // string argument is not the kernel's, so nothing inside it is scanned.
        if (ParameterContracts.IsContract(method))
        {
            string? misuse = syntax is InvocationExpressionSyntax call ? ParameterContracts.Misuse(call) : Why.ContractForm;
            bool onInteger = invocation.Arguments.Length > 0
                && invocation.Arguments[0].Value is IParameterReferenceOperation { Parameter: { RefKind: RefKind.None } parameter }
                && SubsetTypes.IsInteger(parameter.Type);
            if (misuse is null && !onInteger)
            {
                misuse = Why.ContractParameter;
            }

            if (misuse is not null)
            {
                Report(syntax, SubsetCodes.Contract, $"range contract {Echo.Quote(syntax)}", misuse);
            }

            return false;
        }

        // A local function is refused where it is declared; its calls would only repeat that.
        if (Intrinsics.IsIntrinsic(method) || method.MethodKind == MethodKind.LocalFunction)
        {
            return true;
        }

        // A constructor's 'base(...)' or 'this(...)': the constructor itself is refused.
        if (method.MethodKind == MethodKind.Constructor)
        {
            return false;
        }

        if (!method.IsStatic)
        {
            Report(syntax, SubsetCodes.InstanceCall, what, Why.InstanceCall);
            return false;
        }

        if (method.IsVirtual || method.IsAbstract || method.IsOverride)
        {
            Report(syntax, SubsetCodes.InstanceCall, what, Why.VirtualCall);
            return false;
        }

        if (!source)
        {
            Report(syntax, SubsetCodes.LibraryCall, what, Why.LibraryCall);
            return false;
        }

        if (!HasBody(definition))
        {
            Report(syntax, SubsetCodes.LibraryCall, what, Why.NoBody);
            return false;
        }

        calls.Add(new CallSite(definition, syntax.GetLocation()));
        return true;
    }

    private static bool UsesFloatingPoint(IMethodSymbol method) =>
        SubsetTypes.Classify(method.ReturnType) == TypeClass.FloatingPoint
        || method.Parameters.Any(p => SubsetTypes.Classify(p.Type) == TypeClass.FloatingPoint);

    private bool IsSource(IMethodSymbol method) =>
        method.DeclaringSyntaxReferences.Length > 0
        && method.DeclaringSyntaxReferences.All(r => compilation.ContainsSyntaxTree(r.SyntaxTree));

    private static bool HasBody(IMethodSymbol method) =>
        method.DeclaringSyntaxReferences.Any(r => r.GetSyntax() switch
        {
            BaseMethodDeclarationSyntax declaration => declaration.Body is not null || declaration.ExpressionBody is not null,
            LocalFunctionStatementSyntax function => function.Body is not null || function.ExpressionBody is not null,
            _ => true,
        });

    private bool CheckConversion(IConversionOperation conversion)
    {
        SyntaxNode syntax = conversion.Syntax;
        if (conversion.IsTryCast)
        {
            Report(syntax, SubsetCodes.UnsupportedExpression, Echo.Quote(syntax), Why.TypeTest);
            return false;
        }

        Conversion kind = conversion.GetConversion();
        if (kind.IsBoxing)
        {
            Report(syntax, SubsetCodes.Allocation, $"{Echo.Quote(conversion.Operand.Syntax)} boxed to '{SubsetTypes.Name(conversion.Type)}'", Why.Boxing);
            return false;
        }

        if (kind.IsUserDefined && kind.MethodSymbol is IMethodSymbol method && !IsSpanWidening(conversion) && !IsSource(Definition(method)))
        {
            Report(syntax, SubsetCodes.LibraryCall, $"conversion {Echo.Quote(syntax)} to '{SubsetTypes.Name(conversion.Type)}' by '{Echo.Member(method)}'", Why.LibraryCall);
            return false;
        }

        if (!conversion.IsImplicit && SubsetTypes.Classify(conversion.Operand.Type) == TypeClass.Supported)
        {
            TypeClass target = SubsetTypes.Classify(conversion.Type);
            if (target == TypeClass.FloatingPoint && quiet != TypeClass.FloatingPoint)
            {
                Report(syntax, SubsetCodes.FloatingPoint, Echo.Quote(syntax), Why.FloatingConversion);
            }
            else if (target == TypeClass.Unsupported && quiet != TypeClass.Unsupported)
            {
                Report(syntax, SubsetCodes.UnsupportedType, $"{Echo.Quote(syntax)} to '{SubsetTypes.Name(conversion.Type)}'", Why.UnsupportedType);
            }
        }

        return true;
    }

    // Span<T> to ReadOnlySpan<T>: the same memory, read only.
    private static bool IsSpanWidening(IConversionOperation conversion) =>
        SubsetTypes.IsSpan(conversion.Operand.Type, out ITypeSymbol? from)
        && SubsetTypes.IsSpan(conversion.Type, out ITypeSymbol? to)
        && SymbolEqualityComparer.Default.Equals(from, to);

    private bool CheckBinary(IBinaryOperation binary)
    {
        if (binary.Type?.SpecialType == SpecialType.System_String)
        {
            Report(binary.Syntax, SubsetCodes.Allocation, Echo.Quote(binary.Syntax), Why.StringBuilding);
            return false;
        }

        return true;
    }

    private bool CheckAssignment(ISimpleAssignmentOperation assignment)
    {
        if (assignment.IsRef)
        {
            Report(assignment.Syntax, SubsetCodes.UnsupportedExpression, $"ref assignment {Echo.Quote(assignment.Syntax)}", Why.RefLocal);
            return false;
        }

        string? span = assignment.Target switch
        {
            ILocalReferenceOperation { IsDeclaration: false } local when SubsetTypes.IsSpan(local.Local.Type) => local.Local.Name,
            IParameterReferenceOperation parameter when SubsetTypes.IsSpan(parameter.Parameter.Type) && parameter.Parameter.RefKind == RefKind.None => parameter.Parameter.Name,
            _ => null,
        };
        if (span is not null)
        {
            Report(assignment.Syntax, SubsetCodes.SpanRebound, Echo.Quote(assignment.Syntax), $"rebinds span '{span}'; " + Why.SpanRebound);
        }

        return true;
    }

    private bool CheckConditional(IConditionalOperation conditional)
    {
        if (conditional.IsRef)
        {
            Report(conditional.Syntax, SubsetCodes.UnsupportedExpression, $"ref conditional {Echo.Quote(conditional.Syntax)}", Why.RefLocal);
            return false;
        }

        return true;
    }

    private void CheckCreation(IObjectCreationOperation creation)
    {
        ITypeSymbol? type = creation.Type;
        if (type is { IsValueType: true })
        {
            // 'new int()' is zero; any other struct has no hardware form.
            if (!SubsetTypes.IsScalar(type) || creation.Arguments.Length > 0)
            {
                Report(creation.Syntax, SubsetCodes.UnsupportedType, $"{Echo.Quote(creation.Syntax)} of type '{SubsetTypes.Name(type)}'", Why.UnsupportedType);
            }
        }
        else
        {
            Report(creation.Syntax, SubsetCodes.Allocation, Echo.Quote(creation.Syntax), Why.Heap);
        }
    }

    private void CheckStackalloc(SyntaxNode syntax)
    {
        if (syntax is StackAllocArrayCreationExpressionSyntax { Type: ArrayTypeSyntax array }
            && array.RankSpecifiers.FirstOrDefault()?.Sizes.FirstOrDefault() is ExpressionSyntax size
            && size is not OmittedArraySizeExpressionSyntax
            && !models(syntax.SyntaxTree).GetConstantValue(size).HasValue)
        {
            Report(syntax, SubsetCodes.StackallocSize, Echo.Quote(syntax), Why.StackallocSize);
        }
    }
}
