using CoDesign.KernelCompiler.Ir;

namespace CoDesign.KernelCompiler.Passes;

/// <summary>
/// Tidies the control-flow graph: drops unreachable blocks, routes around blocks that only jump,
/// and merges a block into its successor when that successor has no other predecessor, so that
/// straight-line C# across statements becomes one block the scheduler can chain through.
/// </summary>
public sealed class CfgSimplification : IIrPass
{
    /// <inheritdoc/>
    public string Name => "control-flow simplification";

    /// <inheritdoc/>
    public bool Run(IrFunction function)
    {
        bool changed = false;
        bool again = true;
        while (again)
        {
            again = RemoveUnreachable(function) | SkipEmptyJumps(function) | MergeChains(function);
            changed |= again;
        }

        function.Renumber();
        return changed;
    }

    private static bool RemoveUnreachable(IrFunction function)
    {
        var reached = new HashSet<IrBlock>();
        var work = new Stack<IrBlock>([function.Entry]);
        while (work.Count > 0)
        {
            IrBlock block = work.Pop();
            if (reached.Add(block))
            {
                foreach (IrBlock next in block.Successors)
                {
                    work.Push(next);
                }
            }
        }

        return function.Blocks.RemoveAll(b => !reached.Contains(b)) > 0;
    }

    private static bool SkipEmptyJumps(IrFunction function)
    {
        bool changed = false;
        foreach (IrBlock block in function.Blocks)
        {
            if (block.Target is not null && block.Terminator != IrTerminatorKind.Return)
            {
                IrBlock? target = Skip(block.Target);
                changed |= target != block.Target;
                block.Target = target;
            }

            if (block.Else is not null && block.Terminator == IrTerminatorKind.Branch)
            {
                IrBlock? other = Skip(block.Else);
                changed |= other != block.Else;
                block.Else = other;
            }

            if (block.Terminator == IrTerminatorKind.Branch && block.Target == block.Else)
            {
                block.Terminator = IrTerminatorKind.Jump;
                block.Condition = null;
                block.Else = null;
                changed = true;
            }
        }

        // An empty entry that only jumps: its target becomes the entry.
        IrBlock entry = function.Entry;
        if (IsEmptyJump(entry) && entry.Target != entry)
        {
            int at = function.Blocks.IndexOf(entry.Target!);
            (function.Blocks[0], function.Blocks[at]) = (function.Blocks[at], function.Blocks[0]);
            changed = true;
        }

        return changed;
    }

    private static IrBlock Skip(IrBlock block)
    {
        var seen = new HashSet<IrBlock>();
        while (IsEmptyJump(block) && seen.Add(block))
        {
            block = block.Target!;
        }

        return block;
    }

    private static bool IsEmptyJump(IrBlock block) =>
        block.Terminator == IrTerminatorKind.Jump && block.Nodes.Count == 0 && block.Assignments.Count == 0;

    private static bool MergeChains(IrFunction function)
    {
        var predecessors = function.Blocks.ToDictionary(b => b, _ => 0);
        foreach (IrBlock next in function.Blocks.SelectMany(block => block.Successors))
        {
            predecessors[next]++;
        }

        foreach (IrBlock block in function.Blocks)
        {
            if (block.Terminator == IrTerminatorKind.Jump && block.Target is { } next && next != block
                && next != function.Entry && predecessors[next] == 1)
            {
                Merge(block, next);
                function.Blocks.Remove(next);
                return true;
            }
        }

        return false;
    }

    /// <summary>Appends <paramref name="next"/> to <paramref name="block"/>: reads of a variable in
    /// <paramref name="next"/> become the value <paramref name="block"/> assigned it, or its own read.</summary>
    private static void Merge(IrBlock block, IrBlock next)
    {
        var reads = block.Nodes.Where(n => n.Op == IrOp.ReadVar).GroupBy(n => n.Variable!).ToDictionary(g => g.Key, g => g.First());
        var replacements = new Dictionary<IrNode, IrNode>();
        foreach (IrNode node in next.Nodes)
        {
            if (node.Op == IrOp.ReadVar)
            {
                if (block.Assignments.TryGetValue(node.Variable!, out IrNode? assigned))
                {
                    replacements[node] = assigned;
                    continue;
                }

                if (reads.TryGetValue(node.Variable!, out IrNode? read))
                {
                    replacements[node] = read;
                    continue;
                }
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
}
