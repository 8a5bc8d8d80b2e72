using CoDesign.KernelCompiler.Ir;
using CoDesign.KernelCompiler.Signature;

namespace CoDesign.KernelCompiler.Passes;

/// <summary>Copying blocks, appending one block's work to another and fitting a value to a type: the moves the CFG passes share.</summary>
internal static class BlockSurgery
{
    /// <summary>A copy of <paramref name="block"/> with new nodes (same variables, memories and successors).</summary>
    public static IrBlock Clone(IrBlock block, IrFunction function)
    {
        var copy = new IrBlock(function.Blocks.Count) { Origin = block.Origin };
        var map = new Dictionary<IrNode, IrNode>();
        foreach (IrNode node in block.Nodes)
        {
            var clone = new IrNode(node.Op, node.Type, [.. node.Inputs.Select(i => map[i])])
            {
                Constant = node.Constant,
                Variable = node.Variable,
                Memory = node.Memory,
                Speculative = node.Speculative,
                Origin = node.Origin,
                Storage = node.Storage,
            };
            map[node] = clone;
            copy.Nodes.Add(clone);
        }

        foreach ((IrVariable v, IrNode n) in block.Assignments)
        {
            copy.Assignments[v] = map[n];
        }

        copy.Terminator = block.Terminator;
        copy.Condition = block.Condition is null ? null : map[block.Condition];
        copy.Target = block.Target;
        copy.Else = block.Else;
        function.Blocks.Add(copy);
        return copy;
    }

    /// <summary>
    /// Appends <paramref name="next"/>'s nodes, assignments and terminator to <paramref name="block"/>,
    /// as if control ran through both: a read of a variable in <paramref name="next"/> becomes the
    /// value <paramref name="block"/> left in it. <paramref name="next"/> must not be used afterwards
    /// (its nodes now belong to <paramref name="block"/>).
    /// </summary>
    public static void Append(IrBlock block, IrBlock next)
    {
        var replacements = new Dictionary<IrNode, IrNode>();
        foreach (IrNode node in next.Nodes)
        {
            if (node.Op == IrOp.ReadVar)
            {
                replacements[node] = ValueAtEnd(block, node.Variable!);
                continue;
            }

            block.Nodes.Add(node);
        }

        NodeRewriter.Replace(block, replacements);
        NodeRewriter.Replace(next, replacements);
        foreach ((IrVariable v, IrNode n) in next.Assignments)
        {
            block.Assignments[v] = n;
        }

        block.Terminator = next.Terminator;
        block.Condition = next.Condition;
        block.Target = next.Target;
        block.Else = next.Else;
        if (block.Origin.Length == 0)
        {
            block.Origin = next.Origin;
        }
    }

    /// <summary>The value <paramref name="variable"/> holds when <paramref name="block"/> ends (a node of the block).</summary>
    public static IrNode ValueAtEnd(IrBlock block, IrVariable variable)
    {
        if (block.Assignments.TryGetValue(variable, out IrNode? assigned))
        {
            return assigned;
        }

        IrNode? read = block.Nodes.FirstOrDefault(n => n.Op == IrOp.ReadVar && n.Variable == variable);
        if (read is null)
        {
            read = new IrNode(IrOp.ReadVar, variable.Type) { Variable = variable, Storage = variable.Storage, Origin = variable.Name };
            block.Nodes.Insert(0, read);
        }

        return read;
    }

    /// <summary>
    /// Copies the operations <paramref name="root"/> is computed from (no memory accesses among them)
    /// into the end of <paramref name="block"/>, with each variable read taking <paramref name="read"/>'s
    /// value for it; returns the copy of <paramref name="root"/>.
    /// </summary>
    public static IrNode CopyExpression(IrBlock block, IrNode root, Func<IrVariable, IrNode> read)
    {
        var copies = new Dictionary<IrNode, IrNode>();
        IrNode Copy(IrNode node)
        {
            if (copies.TryGetValue(node, out IrNode? done))
            {
                return done;
            }

            IrNode copy;
            if (node.Op == IrOp.ReadVar)
            {
                copy = Fit(block, read(node.Variable!), node.Type);
            }
            else
            {
                copy = new IrNode(node.Op, node.Type, [.. node.Inputs.Select(Copy)])
                {
                    Constant = node.Constant,
                    Origin = node.Origin,
                    Storage = node.Storage,
                };
                block.Nodes.Add(copy);
            }

            copies[node] = copy;
            return copy;
        }

        return Copy(root);
    }

    /// <summary>The nodes <paramref name="root"/> is computed from, itself included.</summary>
    public static HashSet<IrNode> Operands(IrNode root)
    {
        var seen = new HashSet<IrNode>();
        var pending = new Stack<IrNode>([root]);
        while (pending.Count > 0)
        {
            IrNode node = pending.Pop();
            if (seen.Add(node))
            {
                foreach (IrNode input in node.Inputs)
                {
                    pending.Push(input);
                }
            }
        }

        return seen;
    }

    /// <summary>
    /// Predicates memory access <paramref name="access"/> on <paramref name="side"/>: its guard becomes
    /// the side, ANDed (in a node appended to <paramref name="block"/>) with a guard it already had.
    /// </summary>
    public static void Predicate(IrBlock block, IrNode access, IrNode side)
    {
        IrNode guard = side;
        if (access.Guard is { } own)
        {
            guard = new IrNode(IrOp.And, KernelValueType.Bool, side, own) { Origin = access.Origin };
            block.Nodes.Add(guard);
        }

        access.SetGuard(guard);
    }

    /// <summary>The blocks control can reach from <paramref name="from"/> (themselves included), not going on past <paramref name="stopAt"/>, which is left out.</summary>
    public static HashSet<IrBlock> Reachable(IEnumerable<IrBlock> from, IrBlock? stopAt = null)
    {
        var seen = new HashSet<IrBlock>();
        var work = new Stack<IrBlock>(from);
        while (work.Count > 0)
        {
            IrBlock block = work.Pop();
            if (block != stopAt && seen.Add(block))
            {
                foreach (IrBlock next in block.Successors)
                {
                    work.Push(next);
                }
            }
        }

        return seen;
    }

    /// <summary>
    /// Moves the nodes of <paramref name="arm"/>, a block control may run after <paramref name="block"/>,
    /// to the end of <paramref name="block"/>: its reads see the values <paramref name="before"/> gives
    /// (else the block's), its memory accesses are predicated on <paramref name="side"/> (made when first
    /// needed). Returns what the arm assigns; the caller decides how those become the block's. The arm's
    /// branch condition, if any, is one of the moved nodes.
    /// </summary>
    public static Dictionary<IrVariable, IrNode> AppendArm(IrBlock block, IrBlock arm, IReadOnlyDictionary<IrVariable, IrNode> before, Func<IrNode> side)
    {
        var replacements = new Dictionary<IrNode, IrNode>();
        foreach (IrNode node in arm.Nodes)
        {
            if (node.Op == IrOp.ReadVar)
            {
                replacements[node] = before.TryGetValue(node.Variable!, out IrNode? value) ? value : ValueAtEnd(block, node.Variable!);
                continue;
            }

            if (node.IsMemoryAccess)
            {
                // A nested arm's access runs only when both conditions hold.
                Predicate(block, node, side());
            }

            block.Nodes.Add(node);
        }

        NodeRewriter.Replace(block, replacements);
        NodeRewriter.Replace(arm, replacements);
        return new Dictionary<IrVariable, IrNode>(arm.Assignments);
    }

    /// <summary>
    /// The driver of the passes that rewrite one block at a time: <paramref name="analyse"/> the graph,
    /// offer each block to <paramref name="tryRewrite"/>, and after a rewrite (the graph changed, so the
    /// analysis is stale) start over, until no block is rewritten. True when any was.
    /// </summary>
    public static bool RewriteUntilStable<TAnalysis>(IrFunction function, Func<IrFunction, TAnalysis> analyse, Func<IrBlock, TAnalysis, bool> tryRewrite)
    {
        bool changed = false;
        bool again = true;
        while (again)
        {
            again = false;
            TAnalysis analysis = analyse(function);
            foreach (IrBlock block in function.Blocks.ToList())
            {
                if (tryRewrite(block, analysis))
                {
                    again = changed = true;
                    break;
                }
            }
        }

        return changed;
    }

    /// <summary>The blocks each block is entered from, once per edge.</summary>
    public static Dictionary<IrBlock, List<IrBlock>> Predecessors(IrFunction function)
    {
        var predecessors = function.Blocks.ToDictionary(b => b, _ => new List<IrBlock>());
        foreach (IrBlock block in function.Blocks)
        {
            foreach (IrBlock next in block.Successors)
            {
                predecessors[next].Add(block);
            }
        }

        return predecessors;
    }

    /// <summary>How many edges lead into each block.</summary>
    public static Dictionary<IrBlock, int> PredecessorCounts(IrFunction function) =>
        Predecessors(function).ToDictionary(p => p.Key, p => p.Value.Count);

    /// <summary><paramref name="node"/> as <paramref name="type"/>: itself when it has that type, else a conversion appended to <paramref name="block"/>.</summary>
    public static IrNode Fit(IrBlock block, IrNode node, KernelValueType type)
    {
        if (node.Type == type)
        {
            return node;
        }

        var convert = new IrNode(IrOp.Convert, type, node) { Origin = node.Origin };
        block.Nodes.Add(convert);
        return convert;
    }
}
