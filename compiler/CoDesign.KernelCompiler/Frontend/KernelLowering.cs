using CoDesign.KernelCompiler.Ir;
using CoDesign.KernelCompiler.Signature;
using CoDesign.KernelSubset;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CoDesign.KernelCompiler.Frontend;

/// <summary>
/// Lowers a C# method of the hardware subset to IR: Roslyn's control-flow graph (which already
/// lowered loops, <c>&amp;&amp;</c>, <c>||</c> and <c>?:</c> to branches) becomes IR blocks, operations
/// become typed nodes with C#'s conversions made explicit, and calls to other source methods are
/// inlined (their locals get registers of their own; spans and out parameters are bound by reference).
/// </summary>
internal sealed class KernelLowering
{
    private const int MaxInlineDepth = 32;

    private readonly Compilation compilation;
    private readonly IrFunction function;
    private readonly HashSet<string> names = new(StringComparer.Ordinal);
    private readonly Dictionary<IrNode, IrBlock> blockOf = [];
    private readonly Dictionary<IrNode, IrVariable> spills = [];
    private BlockWriter writer;
    private int inlineDepth;

    private KernelLowering(Compilation compilation, IrFunction function)
    {
        this.compilation = compilation;
        this.function = function;
        writer = new BlockWriter(NewBlock("entry"), blockOf);
    }

    /// <summary>
    /// The IR of <paramref name="method"/>. Throws <see cref="KernelCompileException"/> with the
    /// subset checker's diagnostics when the method is outside the subset.
    /// </summary>
    public static IrFunction Lower(KernelSource source, IMethodSymbol method)
    {
        IReadOnlyList<KernelDiagnostic> violations = SubsetChecker.Check(method, source.Compilation);
        if (violations.Count > 0)
        {
            throw new KernelCompileException(violations);
        }

        KernelSignature signature = KernelSignature.Of(method)
            ?? throw new KernelCompileException(KernelDiagnostic.At(method.Locations[0], "CDK0106", $"signature of '{method.Name}'", "has a parameter or result outside the subset's integer types and spans"));
        var function = new IrFunction(signature, Path.GetFileName(source.Path));
        new KernelLowering(source.Compilation, function).LowerTop(method);
        return function;
    }

    private void LowerTop(IMethodSymbol method)
    {
        var frame = new Frame(string.Empty, null);
        foreach (IParameterSymbol parameter in method.Parameters)
        {
            KernelParameter p = function.Signature.Parameters[parameter.Ordinal];
            if (p.IsSpan)
            {
                var memory = new IrMemory(Unique(p.Name), p.Type, isPort: true, writable: p.Kind == KernelParameterKind.Span, size: 0);
                IrVariable length = NewVariable(p.Name + "_length", new KernelValueType(32, true), IrVariableKind.SpanLength, memory);
                memory.Length = length;
                function.Memories.Add(memory);
                frame.Views[parameter] = new SpanView(memory, Scalar.Of(0), Scalar.Of(length));
                function.ParameterBindings[p.Name] = memory;
            }
            else
            {
                IrVariable variable = NewVariable(p.Name, p.Type, p.Kind == KernelParameterKind.Out ? IrVariableKind.Out : IrVariableKind.Parameter);
                frame.Variables[parameter] = variable;
                function.ParameterBindings[p.Name] = variable;
            }
        }

        if (function.Signature.Return is KernelValueType returnType)
        {
            function.ReturnValue = NewVariable("result", returnType, IrVariableKind.Return);
            frame.ReturnVariable = function.ReturnValue;
        }

        BlockWriter start = writer;
        IrBlock entry = LowerGraph(method, frame);
        start.Block.Terminator = IrTerminatorKind.Jump;
        start.Block.Target = entry;
        start.Close();
    }

    // ------------------------------------------------------------------ graphs and blocks

    private IrBlock LowerGraph(IMethodSymbol method, Frame frame)
    {
        SyntaxReference reference = method.DeclaringSyntaxReferences[0];
        SyntaxNode syntax = reference.GetSyntax();
        SemanticModel model = compilation.GetSemanticModel(reference.SyntaxTree);
        IOperation body = model.GetOperation(syntax) ?? throw Unsupported(syntax.GetLocation(), $"method '{method.Name}'", "has no body the compiler can read");
        ControlFlowGraph graph = body switch
        {
            IMethodBodyOperation m => ControlFlowGraph.Create(m),
            _ => throw Unsupported(syntax.GetLocation(), $"method '{method.Name}'", "has no body the compiler can read"),
        };

        foreach (BasicBlock block in graph.Blocks)
        {
            foreach (IOperation operation in block.Operations.Concat(block.BranchValue is null ? [] : [block.BranchValue]))
            {
                foreach (IOperation o in operation.DescendantsAndSelf())
                {
                    IOperation? target = o switch
                    {
                        IAssignmentOperation a => a.Target,
                        IIncrementOrDecrementOperation i => i.Target,
                        IArgumentOperation { Parameter.RefKind: RefKind.Out } arg => arg.Value,
                        _ => null,
                    };
                    if (target is IFlowCaptureReferenceOperation capture)
                    {
                        frame.PlaceCaptures.Add(capture.Id);
                    }
                }
            }
        }

        // Every block gets an IR block: Roslyn keeps branches into blocks it found unreachable (a
        // constant condition); those stay empty and control-flow simplification drops them.
        var blocks = new Dictionary<BasicBlock, IrBlock>();
        foreach (BasicBlock block in graph.Blocks)
        {
            blocks[block] = NewBlock(Origin(block));
        }

        foreach (BasicBlock block in graph.Blocks.Where(b => b.IsReachable))
        {
            writer = new BlockWriter(blocks[block], blockOf);
            foreach (IOperation operation in block.Operations)
            {
                Statement(operation, frame);
            }

            if (block.Kind == BasicBlockKind.Exit)
            {
                if (frame.Continuation is null)
                {
                    writer.Block.Terminator = IrTerminatorKind.Return;
                }
                else
                {
                    Jump(frame.Continuation);
                }
            }
            else if (block.ConditionalSuccessor is { } conditional)
            {
                IrNode condition = Use(Value(block.BranchValue!, frame));
                IrBlock onBranch = blocks[conditional.Destination!];
                IrBlock onFall = blocks[block.FallThroughSuccessor!.Destination!];
                writer.Block.Terminator = IrTerminatorKind.Branch;
                writer.Block.Condition = condition;
                (writer.Block.Target, writer.Block.Else) = block.ConditionKind == ControlFlowConditionKind.WhenTrue ? (onBranch, onFall) : (onFall, onBranch);
            }
            else
            {
                ControlFlowBranch fall = block.FallThroughSuccessor!;
                if (fall.Semantics == ControlFlowBranchSemantics.Return)
                {
                    if (block.BranchValue is not null)
                    {
                        IrVariable result = frame.ReturnVariable!;
                        IrNode value = Use(ConvertTo(Value(block.BranchValue, frame), result.Type, Origin(block.BranchValue)));
                        writer.Write(result, value);
                    }
                }
                else if (fall.Semantics != ControlFlowBranchSemantics.Regular)
                {
                    throw Unsupported(block.BranchValue?.Syntax.GetLocation() ?? syntax.GetLocation(), $"control flow '{fall.Semantics}'", "is not supported in hardware");
                }

                Jump(blocks[fall.Destination!]);
            }

            writer.Close();
        }

        return blocks[graph.Blocks[0]];
    }

    private void Jump(IrBlock target)
    {
        writer.Block.Terminator = IrTerminatorKind.Jump;
        writer.Block.Target = target;
    }

    private IrBlock NewBlock(string origin)
    {
        var block = new IrBlock(function.Blocks.Count) { Origin = origin };
        function.Blocks.Add(block);
        return block;
    }

    /// <summary>Ends the current block with a jump to a new one and continues there.</summary>
    private IrBlock ContinueIn(IrBlock next)
    {
        Jump(next);
        writer.Close();
        writer = new BlockWriter(next, blockOf);
        return next;
    }

    // ------------------------------------------------------------------ statements

    private void Statement(IOperation operation, Frame frame)
    {
        switch (operation)
        {
            case IExpressionStatementOperation statement:
                Statement(statement.Operation, frame);
                return;
            case IFlowCaptureOperation capture:
                Capture(capture, frame);
                return;
            case ISimpleAssignmentOperation assignment when IsSpan(assignment.Target.Type):
                if (assignment.Target is not ILocalReferenceOperation local)
                {
                    throw Unsupported(assignment, "assigns a span somewhere other than a local");
                }

                frame.Views[local.Local] = View(assignment.Value, frame, frame.Prefix + local.Local.Name);
                return;
            case IInvocationOperation invocation when invocation.TargetMethod.ReturnsVoid:
                Invoke(invocation, frame);
                return;
            case IFlowCaptureReferenceOperation or ILocalReferenceOperation or IParameterReferenceOperation or ILiteralOperation:
                return;
            default:
                _ = Value(operation, frame);
                return;
        }
    }

    private void Capture(IFlowCaptureOperation capture, Frame frame)
    {
        if (IsSpan(capture.Value.Type))
        {
            frame.CaptureViews[capture.Id] = View(capture.Value, frame, "capture");
        }
        else if (frame.PlaceCaptures.Contains(capture.Id))
        {
            frame.CapturePlaces[capture.Id] = PlaceOf(capture.Value, frame);
        }
        else
        {
            KernelValueType type = TypeOf(capture.Value);
            if (!frame.CaptureValues.TryGetValue(capture.Id, out IrVariable? variable))
            {
                variable = NewVariable(frame.Prefix + "c", type, IrVariableKind.Local);
                frame.CaptureValues[capture.Id] = variable;
            }

            // Evaluate first: an inlined call inside the value moves `writer` to another block.
            IrNode value = Use(ConvertTo(Value(capture.Value, frame), variable.Type, Origin(capture.Value)));
            writer.Write(variable, value);
        }
    }

    // ------------------------------------------------------------------ values

    private IrNode Value(IOperation operation, Frame frame)
    {
        string origin = Origin(operation);
        if (operation.ConstantValue.HasValue && operation.Type is not null && KernelValueType.Of(operation.Type) is KernelValueType constantType)
        {
            return writer.Constant(constantType, ConstantBits(operation.ConstantValue.Value), origin);
        }

        switch (operation)
        {
            case IParenthesizedOperation parenthesized:
                return Value(parenthesized.Operand, frame);
            case IConversionOperation conversion:
                return ConvertTo(Value(conversion.Operand, frame), TypeOf(conversion), origin);
            case ILocalReferenceOperation or IParameterReferenceOperation or IDeclarationExpressionOperation:
                return ReadPlace(PlaceOf(operation, frame), origin);
            case IFlowCaptureReferenceOperation capture:
                if (frame.CapturePlaces.TryGetValue(capture.Id, out Place? place))
                {
                    return ReadPlace(place, origin);
                }

                return writer.Read(frame.CaptureValues[capture.Id]);
            case IPropertyReferenceOperation { Property.IsIndexer: true } element:
                return ReadPlace(PlaceOf(element, frame), origin);
            case IPropertyReferenceOperation { Property.Name: "Length" } length when IsSpan(length.Instance?.Type):
                return ScalarNode(View(length.Instance!, frame, "span").Length, origin);
            case IBinaryOperation binary:
                return Binary(binary, frame);
            case IUnaryOperation unary:
                return Unary(unary, frame);
            case IIncrementOrDecrementOperation increment:
                return Increment(increment, frame);
            case ISimpleAssignmentOperation assignment:
                {
                    Place target = PlaceOf(assignment.Target, frame);
                    IrNode value = Value(assignment.Value, frame);
                    WritePlace(target, value, origin);
                    return value;
                }

            case ICompoundAssignmentOperation compound:
                return Compound(compound, frame);
            case IInvocationOperation invocation:
                return Invoke(invocation, frame) ?? throw Unsupported(invocation, "has no value");
            case IIsPatternOperation pattern:
                return Pattern(Value(pattern.Value, frame), pattern.Pattern, frame);
            default:
                throw Unsupported(operation, "is not supported by the kernel compiler");
        }
    }

    private IrNode Binary(IBinaryOperation binary, Frame frame)
    {
        string origin = Origin(binary);
        KernelValueType resultType = TypeOf(binary);
        IrNode left = Value(binary.LeftOperand, frame);
        IrNode right = Value(binary.RightOperand, frame);
        switch (binary.OperatorKind)
        {
            case BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals or BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual
                or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual:
                {
                    KernelValueType operandType = left.Type.IsBool && right.Type.IsBool ? KernelValueType.Bool : BinaryPromote(left.Type, right.Type);
                    IrOp op = binary.OperatorKind switch
                    {
                        BinaryOperatorKind.Equals => IrOp.Eq,
                        BinaryOperatorKind.NotEquals => IrOp.Ne,
                        BinaryOperatorKind.LessThan => IrOp.Lt,
                        BinaryOperatorKind.LessThanOrEqual => IrOp.Le,
                        BinaryOperatorKind.GreaterThan => IrOp.Gt,
                        _ => IrOp.Ge,
                    };
                    return Node(op, KernelValueType.Bool, origin, ConvertTo(left, operandType, origin), ConvertTo(right, operandType, origin));
                }

            case BinaryOperatorKind.LeftShift or BinaryOperatorKind.RightShift:
                return Node(binary.OperatorKind == BinaryOperatorKind.LeftShift ? IrOp.Shl : IrOp.Shr, resultType, origin,
                    ConvertTo(left, resultType, origin), ConvertTo(right, new KernelValueType(32, true), origin));
            case BinaryOperatorKind.UnsignedRightShift:
                {
                    // >>> shifts the pattern in: shift it as unsigned, read it back in the signed type.
                    var unsigned = new KernelValueType(resultType.Bits, false);
                    IrNode shifted = Node(IrOp.Shr, unsigned, origin, ConvertTo(left, unsigned, origin), ConvertTo(right, new KernelValueType(32, true), origin));
                    return ConvertTo(shifted, resultType, origin);
                }

            case BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr:
                // Roslyn's graph turns these into branches; both sides are plain values when they get here.
                return Node(binary.OperatorKind == BinaryOperatorKind.ConditionalAnd ? IrOp.And : IrOp.Or, KernelValueType.Bool, origin, left, right);
            default:
                {
                    IrOp op = Arithmetic(binary.OperatorKind) is IrOp known and not (IrOp.Shl or IrOp.Shr)
                        ? known
                        : throw Unsupported(binary, $"uses operator {binary.OperatorKind}, which the kernel compiler does not support");
                    return Node(op, resultType, origin, ConvertTo(left, resultType, origin), ConvertTo(right, resultType, origin));
                }
        }
    }

    private IrNode Unary(IUnaryOperation unary, Frame frame)
    {
        string origin = Origin(unary);
        KernelValueType type = TypeOf(unary);
        IrNode operand = ConvertTo(Value(unary.Operand, frame), type, origin);
        return unary.OperatorKind switch
        {
            UnaryOperatorKind.Plus => operand,
            UnaryOperatorKind.Minus => Node(IrOp.Neg, type, origin, operand),
            UnaryOperatorKind.BitwiseNegation => Node(IrOp.Not, type, origin, operand),
            UnaryOperatorKind.Not => Node(IrOp.LogicalNot, type, origin, operand),
            _ => throw Unsupported(unary, "is not supported by the kernel compiler"),
        };
    }

    private IrNode Increment(IIncrementOrDecrementOperation increment, Frame frame)
    {
        string origin = Origin(increment);
        Place place = PlaceOf(increment.Target, frame);
        IrNode old = ReadPlace(place, origin);
        KernelValueType type = old.Type;
        KernelValueType promoted = Promote(type);
        IrNode one = writer.Constant(promoted, 1, origin);
        IrNode updated = ConvertTo(Node(increment.Kind == OperationKind.Increment ? IrOp.Add : IrOp.Sub, promoted, origin, ConvertTo(old, promoted, origin), one), type, origin);
        WritePlace(place, updated, origin);
        return increment.IsPostfix ? old : updated;
    }

    private IrNode Compound(ICompoundAssignmentOperation compound, Frame frame)
    {
        string origin = Origin(compound);
        Place place = PlaceOf(compound.Target, frame);
        IrNode old = ReadPlace(place, origin);
        IrNode value = Value(compound.Value, frame);
        KernelValueType type = old.Type;
        IrOp op = Arithmetic(compound.OperatorKind)
            ?? throw Unsupported(compound, $"uses operator {compound.OperatorKind}=, which the kernel compiler does not support");
        IrNode result;
        if (op is IrOp.Shl or IrOp.Shr)
        {
            KernelValueType promoted = Promote(type);
            result = Node(op, promoted, origin, ConvertTo(old, promoted, origin), ConvertTo(value, new KernelValueType(32, true), origin));
        }
        else
        {
            KernelValueType promoted = type.IsBool && value.Type.IsBool ? KernelValueType.Bool : BinaryPromote(type, value.Type);
            result = Node(op, promoted, origin, ConvertTo(old, promoted, origin), ConvertTo(value, promoted, origin));
        }

        result = ConvertTo(result, type, origin);
        WritePlace(place, result, origin);
        return result;
    }

    /// <summary>The IR operation of a C# arithmetic, bitwise or shift operator; null for the others.</summary>
    private static IrOp? Arithmetic(BinaryOperatorKind kind) => kind switch
    {
        BinaryOperatorKind.Add => IrOp.Add,
        BinaryOperatorKind.Subtract => IrOp.Sub,
        BinaryOperatorKind.Multiply => IrOp.Mul,
        BinaryOperatorKind.Divide => IrOp.Div,
        BinaryOperatorKind.Remainder => IrOp.Rem,
        BinaryOperatorKind.And => IrOp.And,
        BinaryOperatorKind.Or => IrOp.Or,
        BinaryOperatorKind.ExclusiveOr => IrOp.Xor,
        BinaryOperatorKind.LeftShift => IrOp.Shl,
        BinaryOperatorKind.RightShift => IrOp.Shr,
        _ => null,
    };

    private IrNode Pattern(IrNode value, IPatternOperation pattern, Frame frame)
    {
        string origin = Origin(pattern);
        switch (pattern)
        {
            case IConstantPatternOperation constant:
                return Compare(IrOp.Eq, value, Value(constant.Value, frame), origin);
            case IRelationalPatternOperation relational:
                IrOp op = relational.OperatorKind switch
                {
                    BinaryOperatorKind.LessThan => IrOp.Lt,
                    BinaryOperatorKind.LessThanOrEqual => IrOp.Le,
                    BinaryOperatorKind.GreaterThan => IrOp.Gt,
                    BinaryOperatorKind.GreaterThanOrEqual => IrOp.Ge,
                    BinaryOperatorKind.Equals => IrOp.Eq,
                    _ => IrOp.Ne,
                };
                return Compare(op, value, Value(relational.Value, frame), origin);
            case IBinaryPatternOperation binary:
                IrNode left = Pattern(value, binary.LeftPattern, frame);
                IrNode right = Pattern(value, binary.RightPattern, frame);
                return Node(binary.OperatorKind == BinaryOperatorKind.And ? IrOp.And : IrOp.Or, KernelValueType.Bool, origin, left, right);
            case INegatedPatternOperation negated:
                return Node(IrOp.LogicalNot, KernelValueType.Bool, origin, Pattern(value, negated.Pattern, frame));
            case IDiscardPatternOperation:
                return writer.Constant(KernelValueType.Bool, 1, origin);
            default:
                throw Unsupported(pattern, "is a pattern the kernel compiler does not support");
        }
    }

    private IrNode Compare(IrOp op, IrNode left, IrNode right, string origin)
    {
        KernelValueType type = left.Type.IsBool ? KernelValueType.Bool : left.Type;
        return Node(op, KernelValueType.Bool, origin, left, ConvertTo(right, type, origin));
    }

    // ------------------------------------------------------------------ calls

    private IrNode? Invoke(IInvocationOperation invocation, Frame frame)
    {
        IMethodSymbol method = invocation.TargetMethod;
        string origin = Origin(invocation);
        string owner = method.ContainingType.ToDisplayString();
        if (KernelSubset.ParameterContracts.IsContract(method))
        {
            // A precondition: the CPU checks it; the hardware takes it as the parameter's range.
            return null;
        }

        if (owner is "System.Math" && method.Name is "Min" or "Max")
        {
            KernelValueType type = TypeOf(invocation);
            IrNode a = ConvertTo(Value(invocation.Arguments[0].Value, frame), type, origin);
            IrNode b = ConvertTo(Value(invocation.Arguments[1].Value, frame), type, origin);
            IrNode less = Node(IrOp.Lt, KernelValueType.Bool, origin, a, b);
            return method.Name == "Min" ? Node(IrOp.Select, type, origin, less, a, b) : Node(IrOp.Select, type, origin, less, b, a);
        }

        if (owner is "System.Numerics.BitOperations" && method.Name is "PopCount")
        {
            IrNode operand = ConvertTo(Value(invocation.Arguments[0].Value, frame), KernelValueType.Of(method.Parameters[0].Type)!.Value, origin);
            return Node(IrOp.PopCount, new KernelValueType(32, true), origin, operand);
        }

        if (IsSpan(method.ContainingType) && method.Name == "Clear" && invocation.Instance is not null)
        {
            Clear(View(invocation.Instance, frame, "span"), origin);
            return null;
        }

        if (method.IsStatic && method.DeclaringSyntaxReferences.Length > 0)
        {
            return Inline(invocation, frame);
        }

        throw Unsupported(invocation, "calls a method the kernel compiler cannot inline or map to hardware");
    }

    private IrNode? Inline(IInvocationOperation invocation, Frame caller)
    {
        IMethodSymbol method = invocation.TargetMethod;
        if (++inlineDepth > MaxInlineDepth)
        {
            throw Unsupported(invocation, $"nests calls deeper than {MaxInlineDepth} (recursion?)");
        }

        string origin = Origin(invocation);
        var callee = new Frame(Unique(Verilog.VerilogNames.Snake(method.Name)) + "_", NewBlock(origin));
        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            IParameterSymbol parameter = argument.Parameter!;
            if (parameter.RefKind == RefKind.Out)
            {
                if (PlaceOf(argument.Value, caller) is not VariablePlace target)
                {
                    throw Unsupported(argument, "passes a span element as an out argument; pass a local");
                }

                callee.Variables[parameter] = target.Variable;
            }
            else if (IsSpan(parameter.Type))
            {
                callee.Views[parameter] = View(argument.Value, caller, callee.Prefix + parameter.Name);
            }
            else
            {
                KernelValueType type = TypeOf(parameter.Type, argument);
                IrVariable variable = NewVariable(callee.Prefix + parameter.Name, type, IrVariableKind.Local);
                IrNode value = Use(ConvertTo(Value(argument.Value, caller), type, origin));
                writer.Write(variable, value);
                callee.Variables[parameter] = variable;
            }
        }

        if (!method.ReturnsVoid)
        {
            callee.ReturnVariable = NewVariable(callee.Prefix + "result", TypeOf(method.ReturnType, invocation), IrVariableKind.Local);
        }

        // The caller's block jumps into the callee, whose exit jumps to the continuation.
        BlockWriter before = writer;
        IrBlock entry = LowerGraph(method, callee);
        before.Block.Terminator = IrTerminatorKind.Jump;
        before.Block.Target = entry;
        before.Close();
        writer = new BlockWriter(callee.Continuation!, blockOf);
        inlineDepth--;
        return callee.ReturnVariable is null ? null : writer.Read(callee.ReturnVariable);
    }

    private void Clear(SpanView view, string origin)
    {
        if (view.Memory is null)
        {
            return;
        }

        var intType = new KernelValueType(32, true);
        IrVariable index = NewVariable("clear_i", intType, IrVariableKind.Local);
        writer.Write(index, writer.Constant(intType, 0, origin));
        IrBlock header = NewBlock(origin);
        IrBlock body = NewBlock(origin);
        IrBlock exit = NewBlock(origin);
        ContinueIn(header);
        IrNode i = writer.Read(index);
        writer.Block.Terminator = IrTerminatorKind.Branch;
        writer.Block.Condition = Node(IrOp.Lt, KernelValueType.Bool, origin, i, ScalarNode(view.Length, origin));
        writer.Block.Target = body;
        writer.Block.Else = exit;
        writer.Close();
        writer = new BlockWriter(body, blockOf);
        IrNode at = Node(IrOp.Add, intType, origin, ScalarNode(view.Offset, origin), writer.Read(index));
        Add(new IrNode(IrOp.Store, view.Memory.ElementType, at, writer.Constant(view.Memory.ElementType, 0, origin)) { Memory = view.Memory, Origin = origin });
        writer.Write(index, Node(IrOp.Add, intType, origin, writer.Read(index), writer.Constant(intType, 1, origin)));
        Jump(header);
        writer.Close();
        writer = new BlockWriter(exit, blockOf);
    }

    // ------------------------------------------------------------------ spans and places

    private SpanView View(IOperation operation, Frame frame, string nameHint)
    {
        switch (operation)
        {
            case IParameterReferenceOperation parameter:
                return frame.Views[parameter.Parameter];
            case ILocalReferenceOperation local:
                return frame.Views.TryGetValue(local.Local, out SpanView? view) ? view : throw Unsupported(local, "reads a span local before it is bound");
            case IFlowCaptureReferenceOperation capture:
                return frame.CaptureViews[capture.Id];
            case IConversionOperation conversion:
                return View(conversion.Operand, frame, nameHint);
            case ICollectionExpressionOperation { Elements.Length: 0 }:
                return SpanView.Empty;
            case IInvocationOperation { TargetMethod.Name: "Slice", Instance: not null } slice:
                return Slice(View(slice.Instance, frame, nameHint), slice, frame);
            case { Syntax: StackAllocArrayCreationExpressionSyntax } allocation when allocation.Type is INamedTypeSymbol { TypeArguments: [ITypeSymbol element] }
                && allocation.ChildOperations.Count == 1 && allocation.ChildOperations.First().ConstantValue is { HasValue: true } size:
                {
                    var memory = new IrMemory(Unique(nameHint), TypeOf(element, operation), isPort: false, writable: true, size: Convert.ToInt32(size.Value, System.Globalization.CultureInfo.InvariantCulture));
                    function.Memories.Add(memory);
                    var allocated = new SpanView(memory, Scalar.Of(0), Scalar.Of(memory.Size));

                    // C# zeroes a stackalloc; so does the hardware, one element per cycle.
                    Clear(allocated, Origin(operation));
                    return allocated;
                }

            default:
                throw Unsupported(operation, "is a span expression the kernel compiler does not support");
        }
    }

    private SpanView Slice(SpanView view, IInvocationOperation slice, Frame frame)
    {
        string origin = Origin(slice);
        var intType = new KernelValueType(32, true);
        IrNode start = ConvertTo(Value(slice.Arguments[0].Value, frame), intType, origin);
        IrNode offset = Node(IrOp.Add, intType, origin, ScalarNode(view.Offset, origin), start);
        IrNode length = slice.Arguments.Length > 1
            ? ConvertTo(Value(slice.Arguments[1].Value, frame), intType, origin)
            : Node(IrOp.Sub, intType, origin, ScalarNode(view.Length, origin), start);
        return new SpanView(view.Memory, Materialize(offset, "slice_offset"), Materialize(length, "slice_length"));
    }

    /// <summary>A constant stays a constant; anything else goes into a variable so later blocks can read it.</summary>
    private Scalar Materialize(IrNode node, string name)
    {
        if (node.Op == IrOp.Const)
        {
            return Scalar.Of(node.Constant);
        }

        IrVariable variable = NewVariable(name, node.Type, IrVariableKind.Local);
        writer.Write(variable, Use(node));
        return Scalar.Of(variable);
    }

    private IrNode ScalarNode(Scalar scalar, string origin) =>
        scalar.Variable is null ? writer.Constant(new KernelValueType(32, true), scalar.Constant, origin) : writer.Read(scalar.Variable);

    private Place PlaceOf(IOperation operation, Frame frame)
    {
        switch (operation)
        {
            case ILocalReferenceOperation local:
                if (!frame.Variables.TryGetValue(local.Local, out IrVariable? variable))
                {
                    variable = NewVariable(frame.Prefix + local.Local.Name, TypeOf(local.Local.Type, local), IrVariableKind.Local);
                    frame.Variables[local.Local] = variable;
                }

                return new VariablePlace(variable);
            case IParameterReferenceOperation parameter:
                return new VariablePlace(frame.Variables[parameter.Parameter]);
            case IDeclarationExpressionOperation declaration:
                return PlaceOf(declaration.Expression, frame);
            case IFlowCaptureReferenceOperation capture when frame.CapturePlaces.TryGetValue(capture.Id, out Place? place):
                return place;
            case IPropertyReferenceOperation { Property.IsIndexer: true, Instance: not null } element when IsSpan(element.Instance.Type):
                {
                    SpanView view = View(element.Instance, frame, "span");
                    if (view.Memory is null)
                    {
                        // Indexing [] throws in C#, so it never runs in a correct kernel: reads give 0, writes vanish.
                        return new EmptyPlace(TypeOf(element));
                    }

                    string origin = Origin(element);
                    var intType = new KernelValueType(32, true);
                    IrNode index = ConvertTo(Value(element.Arguments[0].Value, frame), intType, origin);
                    IrNode at = view.Offset is { Variable: null, Constant: 0 } ? index : Node(IrOp.Add, intType, origin, ScalarNode(view.Offset, origin), index);
                    return new ElementPlace(view.Memory, Materialize(at, "index") is { Variable: { } v } ? v : ConstantIndex(at));
                }

            default:
                throw Unsupported(operation, "cannot be assigned by the kernel compiler");
        }
    }

    private IrVariable ConstantIndex(IrNode constant)
    {
        IrVariable variable = NewVariable("index", constant.Type, IrVariableKind.Local);
        writer.Write(variable, constant);
        return variable;
    }

    private IrNode ReadPlace(Place place, string origin)
    {
        switch (place)
        {
            case VariablePlace v:
                return writer.Read(v.Variable);
            case EmptyPlace empty:
                return writer.Constant(empty.ElementType, 0, origin);
            case ElementPlace e:
                return Add(new IrNode(IrOp.Load, e.Memory.ElementType, writer.Read(e.Index)) { Memory = e.Memory, Origin = origin });
            default:
                throw new InvalidOperationException("unknown place");
        }
    }

    private void WritePlace(Place place, IrNode value, string origin)
    {
        switch (place)
        {
            case VariablePlace v:
                writer.Write(v.Variable, Use(ConvertTo(value, v.Variable.Type, origin)));
                break;
            case ElementPlace e:
                Add(new IrNode(IrOp.Store, e.Memory.ElementType, writer.Read(e.Index), Use(ConvertTo(value, e.Memory.ElementType, origin))) { Memory = e.Memory, Origin = origin });
                break;
        }
    }

    // ------------------------------------------------------------------ nodes

    private IrNode Node(IrOp op, KernelValueType type, string origin, params IrNode[] inputs) =>
        Add(new IrNode(op, type, [.. inputs.Select(Use)]) { Origin = origin });

    private IrNode Add(IrNode node) => writer.Add(node);

    /// <summary>
    /// A node usable in the current block: nodes of an earlier block (left there by an inlined call
    /// in the middle of an expression) travel in a variable assigned at that block's end.
    /// </summary>
    private IrNode Use(IrNode node)
    {
        if (writer.Owns(node))
        {
            return node;
        }

        if (!spills.TryGetValue(node, out IrVariable? spill))
        {
            spill = NewVariable("spill", node.Type, IrVariableKind.Local);
            IrBlock home = blockOf.TryGetValue(node, out IrBlock? block) ? block : throw new InvalidOperationException($"node {node} has no block");
            home.Assignments[spill] = node;
            spills[node] = spill;
        }

        return writer.Read(spill);
    }

    private IrNode ConvertTo(IrNode node, KernelValueType type, string origin)
    {
        if (node.Type == type)
        {
            return node;
        }

        if (node.Op == IrOp.Const)
        {
            return writer.Constant(type, type.IsBool ? (node.Constant != 0 ? 1 : 0) : node.Constant, origin);
        }

        return Node(IrOp.Convert, type, origin, node);
    }

    private IrVariable NewVariable(string name, KernelValueType type, IrVariableKind kind, IrMemory? lengthOf = null)
    {
        var variable = new IrVariable(Unique(name), type, kind) { LengthOf = lengthOf };
        function.Variables.Add(variable);
        return variable;
    }

    private string Unique(string name)
    {
        string candidate = name;
        for (int n = 2; !names.Add(candidate); n++)
        {
            candidate = $"{name}_{n}";
        }

        return candidate;
    }

    // ------------------------------------------------------------------ types and places in the source

    private static bool IsSpan(ITypeSymbol? type) =>
        type is INamedTypeSymbol { Name: "Span" or "ReadOnlySpan", IsGenericType: true } named && named.ContainingNamespace?.ToDisplayString() == "System";

    private static KernelValueType TypeOf(IOperation operation) => TypeOf(operation.Type!, operation);

    private static KernelValueType TypeOf(ITypeSymbol type, IOperation at) =>
        KernelValueType.Of(type) ?? throw Unsupported(at, $"has type '{type.ToDisplayString()}', which is not an integer type of the subset");

    /// <summary>C#'s unary numeric promotion: types narrower than int compute as int.</summary>
    private static KernelValueType Promote(KernelValueType type) => type.IsBool || type.Bits >= 32 ? type : new KernelValueType(32, true);

    /// <summary>C#'s binary numeric promotion of two (promoted) operand types.</summary>
    private static KernelValueType BinaryPromote(KernelValueType a, KernelValueType b)
    {
        a = Promote(a);
        b = Promote(b);
        if ((a.Bits == 64 && !a.Signed) || (b.Bits == 64 && !b.Signed))
        {
            return new KernelValueType(64, false);
        }

        if (a.Bits == 64 || b.Bits == 64)
        {
            return new KernelValueType(64, true);
        }

        if ((!a.Signed && b.Signed) || (a.Signed && !b.Signed))
        {
            return new KernelValueType(64, true);
        }

        return a.Signed ? new KernelValueType(32, true) : new KernelValueType(32, false);
    }

    private static long ConstantBits(object? value) => value switch
    {
        bool b => b ? 1 : 0,
        char c => c,
        ulong u => unchecked((long)u),
        null => 0,
        _ => Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture),
    };

    private static string Origin(IOperation operation)
    {
        FileLinePositionSpan span = operation.Syntax.GetLocation().GetLineSpan();
        string text = operation.Syntax.ToString().ReplaceLineEndings(" ");
        if (text.Length > 60)
        {
            text = text[..57] + "...";
        }

        return $"{Path.GetFileName(span.Path)}:{span.StartLinePosition.Line + 1} {text}";
    }

    private static string Origin(BasicBlock block)
    {
        IOperation? first = block.Operations.FirstOrDefault() ?? block.BranchValue;
        return first is null ? block.Kind.ToString().ToLowerInvariant() : Origin(first);
    }

    private static KernelCompileException Unsupported(IOperation operation, string why) =>
        Unsupported(operation.Syntax.GetLocation(), $"'{Shorten(operation.Syntax.ToString())}'", why);

    private static KernelCompileException Unsupported(Location location, string construct, string why) =>
        new(KernelDiagnostic.At(location, "CDK0109", construct, why));

    private static string Shorten(string text)
    {
        text = text.ReplaceLineEndings(" ");
        return text.Length > 60 ? text[..57] + "..." : text;
    }

    /// <summary>What one inlined instance of a method binds: its locals, spans, captures and where it returns to.</summary>
    private sealed class Frame(string prefix, IrBlock? continuation)
    {
        public string Prefix { get; } = prefix;

        public IrBlock? Continuation { get; } = continuation;

        public IrVariable? ReturnVariable { get; set; }

        public Dictionary<ISymbol, IrVariable> Variables { get; } = new(SymbolEqualityComparer.Default);

        public Dictionary<ISymbol, SpanView> Views { get; } = new(SymbolEqualityComparer.Default);

        public Dictionary<CaptureId, IrVariable> CaptureValues { get; } = [];

        public Dictionary<CaptureId, SpanView> CaptureViews { get; } = [];

        public Dictionary<CaptureId, Place> CapturePlaces { get; } = [];

        public HashSet<CaptureId> PlaceCaptures { get; } = [];
    }
}
