using CoDesign.KernelCompiler.Execution;
using CoDesign.KernelCompiler.Signature;

namespace CoDesign.KernelCompiler.Ir;

/// <summary>
/// Runs IR on the CPU with the semantics of <see cref="IrSemantics"/>: the reference each compiler
/// pass is checked against, and (with a schedule's cycle counts per block) the predictor of how
/// many cycles the generated module takes.
/// </summary>
public sealed class IrInterpreter(IrFunction function, Func<IrBlock, int>? cyclesPerBlock = null, long fixedCycles = 0) : IKernelBackend
{
    /// <summary>
    /// When set, every value is checked against the storage width narrowing gave it, and a value
    /// that does not fit throws: the test of the range analysis.
    /// </summary>
    public bool CheckStorage { get; init; }

    /// <summary>Cycles counted when control leaves a block for another one (null: it returns): a pipelined loop's drain.</summary>
    public Func<IrBlock, IrBlock?, int>? LeaveCycles { get; init; }

    /// <summary>Blocks one call may enter before it is called a runaway loop.</summary>
    public const long MaxBlockVisits = 50_000_000;

    /// <inheritdoc/>
    public string Name => "ir";

    /// <inheritdoc/>
    public KernelOutcome Run(KernelCall call)
    {
        var variables = new Dictionary<IrVariable, long>();
        var memories = new Dictionary<IrMemory, long[]>();
        foreach (IrVariable v in function.Variables)
        {
            variables[v] = 0;
        }

        foreach (IrMemory m in function.Memories)
        {
            memories[m] = m.IsPort ? [] : new long[m.Size];
        }

        foreach (KernelParameter p in function.Signature.Parameters)
        {
            object binding = function.ParameterBindings[p.Name];
            long[] arguments = call.Arguments.TryGetValue(p.Name, out long[]? given) ? given : [];
            if (binding is IrMemory memory)
            {
                memories[memory] = [.. arguments];
                variables[memory.Length!] = arguments.Length;
            }
            else if (p.Kind == KernelParameterKind.Scalar)
            {
                long value = p.Type.Normalize(arguments.Length > 0 ? arguments[0] : 0);
                Int128 actual = !p.Type.Signed && p.Type.Bits == 64 ? (ulong)value : value;
                if (p.Range is (long low, long high) && (actual < low || actual > high))
                {
                    // The C# throws here; the hardware's result would be undefined.
                    throw new KernelExecutionException($"{function.Signature.Name}: {p.Name} = {actual} is outside its range contract {low}..{high}", null);
                }

                variables[(IrVariable)binding] = value;
            }
        }

        long cycles = fixedCycles;
        long visits = 0;
        IrBlock? block = function.Entry;
        var values = new Dictionary<IrNode, long>();
        while (block is not null)
        {
            if (++visits > MaxBlockVisits)
            {
                throw new KernelExecutionException($"{function.Signature.Name} did not finish within {MaxBlockVisits:N0} blocks", null);
            }

            cycles += cyclesPerBlock?.Invoke(block) ?? 0;
            values.Clear();
            foreach (IrNode node in block.Nodes)
            {
                values[node] = Evaluate(node, values, variables, memories);
                if (CheckStorage && node.Op != IrOp.Store && !node.Speculative)
                {
                    Fits(values[node], node.Type, node.Storage, $"n{node.Id} ({node.Origin})");
                }
            }

            foreach ((IrVariable v, IrNode n) in block.Assignments)
            {
                variables[v] = v.Type.Normalize(values[n]);
                if (CheckStorage && !n.Speculative)
                {
                    Fits(variables[v], v.Type, v.Storage, v.Name);
                }
            }

            IrBlock? next = block.Terminator switch
            {
                IrTerminatorKind.Jump => block.Target,
                IrTerminatorKind.Branch => values[block.Condition!] != 0 ? block.Target : block.Else,
                _ => null,
            };
            if (next != block)
            {
                cycles += LeaveCycles?.Invoke(block, next) ?? 0;
            }

            block = next;
        }

        var results = new Dictionary<string, long[]>();
        foreach (KernelParameter p in function.Signature.Parameters)
        {
            object binding = function.ParameterBindings[p.Name];
            if (binding is IrMemory memory)
            {
                results[p.Name] = memories[memory];
            }
            else if (p.Kind == KernelParameterKind.Out)
            {
                results[p.Name] = [variables[(IrVariable)binding]];
            }
        }

        long? returned = function.ReturnValue is null ? null : variables[function.ReturnValue];
        return new KernelOutcome(results, returned, cyclesPerBlock is null ? null : cycles);
    }

    private void Fits(long value, KernelValueType type, Storage storage, string what)
    {
        Int128 actual = !type.Signed && type.Bits == 64 ? (Int128)(ulong)value : value;
        Int128 low = storage.Signed ? -(Int128.One << (storage.Bits - 1)) : 0;
        Int128 high = storage.Signed ? (Int128.One << (storage.Bits - 1)) - 1 : (Int128.One << storage.Bits) - 1;
        if (actual < low || actual > high)
        {
            throw new InvalidOperationException($"{function.Signature.Name}: {what} = {actual} does not fit its {(storage.Signed ? "signed" : "unsigned")} {storage.Bits}-bit storage");
        }
    }

    private long Evaluate(IrNode node, Dictionary<IrNode, long> values, Dictionary<IrVariable, long> variables, Dictionary<IrMemory, long[]> memories)
    {
        switch (node.Op)
        {
            case IrOp.Const:
                return node.Constant;
            case IrOp.ReadVar:
                return variables[node.Variable!];
            case IrOp.Load or IrOp.Store when node.Guard is { } guard && values[guard] == 0:
                // A predicated access whose guard is false does nothing (its address may be out of range).
                return 0;
            case IrOp.Load:
                long[] read = memories[node.Memory!];
                long index = values[node.Inputs[0]];
                if ((index < 0 || index >= read.Length) && node.Speculative)
                {
                    return 0;
                }

                if (index < 0 || index >= read.Length)
                {
                    throw new KernelExecutionException($"{function.Signature.Name}: read of {node.Memory!.Name}[{index}] outside its {read.Length} elements ({node.Origin})", null);
                }

                return node.Memory!.ElementType.Normalize(read[index]);
            case IrOp.Store:
                long[] written = memories[node.Memory!];
                long at = values[node.Inputs[0]];
                if (at < 0 || at >= written.Length)
                {
                    throw new KernelExecutionException($"{function.Signature.Name}: write of {node.Memory!.Name}[{at}] outside its {written.Length} elements ({node.Origin})", null);
                }

                written[at] = node.Memory!.ElementType.Normalize(values[node.Inputs[1]]);
                return 0;
        }

        long a = node.Inputs.Length > 0 ? values[node.Inputs[0]] : 0;
        long b = node.Inputs.Length > 1 ? values[node.Inputs[1]] : 0;
        long c = node.Inputs.Length > 2 ? values[node.Inputs[2]] : 0;
        // A division by zero has no defined value: in C# it throws, and after if-conversion it may be
        // computed on a path whose result is thrown away. Hardware gives some value; the IR gives 0.
        return IrSemantics.TryEvaluate(node, a, b, c, out long result) ? result : 0;
    }
}
