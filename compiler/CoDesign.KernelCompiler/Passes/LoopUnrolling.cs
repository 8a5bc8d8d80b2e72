using CoDesign.KernelCompiler.Ir;

namespace CoDesign.KernelCompiler.Passes;

/// <summary>
/// Fully unrolls loops whose trip count is a compile-time constant: the variables the loop's
/// branches test must start from constants and change only by arithmetic on constants. The pass
/// runs the loop's control alone to find the path, then lays that path out as a chain of block
/// copies, which control-flow simplification merges into one block and constant folding strips of
/// the counter arithmetic. The iterations then chain in as few cycles as the clock allows.
/// </summary>
public sealed class LoopUnrolling : IIrPass
{
    /// <summary>Most iterations unrolled.</summary>
    public const int MaxTrips = 64;

    /// <summary>Most nodes an unrolled loop may have in all.</summary>
    public const int MaxNodes = 2048;

    /// <inheritdoc/>
    public string Name => "loop unrolling";

    /// <inheritdoc/>
    public bool Run(IrFunction function)
    {
        foreach ((IrBlock header, HashSet<IrBlock> body) in Loops(function))
        {
            if (TryUnroll(function, header, body))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Natural loops: each back edge's target with the blocks that reach the edge without it.</summary>
    private static List<(IrBlock Header, HashSet<IrBlock> Body)> Loops(IrFunction function)
    {
        var loops = new List<(IrBlock, HashSet<IrBlock>)>();
        var state = new Dictionary<IrBlock, int>(); // 1 on the stack, 2 done
        Dictionary<IrBlock, List<IrBlock>> predecessors = BlockSurgery.Predecessors(function);

        var backEdges = new List<(IrBlock From, IrBlock To)>();
        var stack = new Stack<(IrBlock Block, IEnumerator<IrBlock> Next)>();
        stack.Push((function.Entry, function.Entry.Successors.GetEnumerator()));
        state[function.Entry] = 1;
        while (stack.Count > 0)
        {
            (IrBlock block, IEnumerator<IrBlock> next) = stack.Peek();
            if (next.MoveNext())
            {
                IrBlock successor = next.Current;
                if (!state.TryGetValue(successor, out int s))
                {
                    state[successor] = 1;
                    stack.Push((successor, successor.Successors.GetEnumerator()));
                }
                else if (s == 1)
                {
                    backEdges.Add((block, successor));
                }
            }
            else
            {
                state[block] = 2;
                stack.Pop();
            }
        }

        foreach (IGrouping<IrBlock, (IrBlock From, IrBlock To)> edges in backEdges.GroupBy(e => e.To))
        {
            var body = new HashSet<IrBlock> { edges.Key };
            var work = new Stack<IrBlock>(edges.Select(e => e.From));
            while (work.Count > 0)
            {
                IrBlock block = work.Pop();
                if (body.Add(block))
                {
                    foreach (IrBlock p in predecessors[block])
                    {
                        work.Push(p);
                    }
                }
            }

            loops.Add((edges.Key, body));
        }

        // Innermost first: smaller bodies.
        return [.. loops.OrderBy(l => l.Item2.Count)];
    }

    private static bool TryUnroll(IrFunction function, IrBlock header, HashSet<IrBlock> body)
    {
        var outside = function.Blocks.Where(b => !body.Contains(b) && b.Successors.Contains(header)).ToList();
        if (outside.Count != 1 || outside[0].Terminator != IrTerminatorKind.Jump || header == function.Entry)
        {
            return false;
        }

        IrBlock preheader = outside[0];
        HashSet<IrVariable>? control = ControlVariables(body);
        if (control is null)
        {
            return false;
        }

        // Start values: constants assigned by the preheader.
        var values = new Dictionary<IrVariable, long>();
        foreach (IrVariable v in control)
        {
            if (preheader.Assignments.TryGetValue(v, out IrNode? start) && start.Op == IrOp.Const)
            {
                values[v] = start.Constant;
            }
            else
            {
                return false;
            }
        }

        // Run the control alone to find the path through the loop.
        var path = new List<IrBlock>();
        IrBlock? block = header;
        int nodes = 0;
        while (block is not null && body.Contains(block))
        {
            path.Add(block);
            nodes += block.Nodes.Count;
            if (path.Count(b => b == header) > MaxTrips || nodes > MaxNodes)
            {
                return false;
            }

            if (!Step(block, control, values, out block))
            {
                return false;
            }
        }

        if (block is null)
        {
            return false;
        }

        // Lay the path out as copies, each jumping to the next, the last to the loop's exit.
        IrBlock exit = block;
        IrBlock? previous = preheader;
        foreach (IrBlock original in path)
        {
            IrBlock copy = BlockSurgery.Clone(original, function);
            copy.Terminator = IrTerminatorKind.Jump;
            copy.Condition = null;
            copy.Else = null;
            previous.Target = copy;
            previous = copy;
        }

        previous.Target = exit;
        return true;
    }

    /// <summary>Variables the loop's branches depend on; null when one of them depends on data (a load or a non-control variable).</summary>
    private static HashSet<IrVariable>? ControlVariables(HashSet<IrBlock> body)
    {
        var control = new HashSet<IrVariable>();
        var pending = new Queue<IrNode>(body.Where(b => b.Terminator == IrTerminatorKind.Branch).Select(b => b.Condition!));
        var seen = new HashSet<IrNode>();
        while (pending.Count > 0)
        {
            IrNode node = pending.Dequeue();
            if (!seen.Add(node))
            {
                continue;
            }

            if (node.Op == IrOp.Load)
            {
                return null;
            }

            if (node.Op == IrOp.ReadVar)
            {
                if (control.Add(node.Variable!))
                {
                    foreach (IrBlock b in body)
                    {
                        if (b.Assignments.TryGetValue(node.Variable!, out IrNode? assigned))
                        {
                            pending.Enqueue(assigned);
                        }
                    }
                }

                continue;
            }

            foreach (IrNode input in node.Inputs)
            {
                pending.Enqueue(input);
            }
        }

        return control;
    }

    /// <summary>Evaluates a block's control: the successor and the control variables' new values.</summary>
    private static bool Step(IrBlock block, HashSet<IrVariable> control, Dictionary<IrVariable, long> values, out IrBlock? next)
    {
        next = null;
        var known = new Dictionary<IrNode, long>();
        foreach (IrNode node in block.Nodes)
        {
            if (node.Op == IrOp.Const)
            {
                known[node] = node.Constant;
            }
            else if (node.Op == IrOp.ReadVar && control.Contains(node.Variable!))
            {
                known[node] = values[node.Variable!];
            }
            else if (!node.IsMemoryAccess && node.Op != IrOp.ReadVar && node.Inputs.All(known.ContainsKey))
            {
                long Arg(int i) => node.Inputs.Length > i ? known[node.Inputs[i]] : 0;
                if (IrSemantics.TryEvaluate(node, Arg(0), Arg(1), Arg(2), out long value))
                {
                    known[node] = value;
                }
            }
        }

        foreach (IrVariable v in control)
        {
            if (block.Assignments.TryGetValue(v, out IrNode? assigned))
            {
                if (!known.TryGetValue(assigned, out long value))
                {
                    return false;
                }

                values[v] = v.Type.Normalize(value);
            }
        }

        switch (block.Terminator)
        {
            case IrTerminatorKind.Jump:
                next = block.Target;
                return true;
            case IrTerminatorKind.Branch:
                if (!known.TryGetValue(block.Condition!, out long taken))
                {
                    return false;
                }

                next = taken != 0 ? block.Target : block.Else;
                return true;
            default:
                return true; // a return inside the loop: the path ends there
        }
    }
}
