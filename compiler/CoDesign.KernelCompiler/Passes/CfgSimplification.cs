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
        HashSet<IrBlock> reached = BlockSurgery.Reachable([function.Entry]);
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
        Dictionary<IrBlock, int> predecessors = BlockSurgery.PredecessorCounts(function);
        foreach (IrBlock block in function.Blocks)
        {
            if (block.Terminator == IrTerminatorKind.Jump && block.Target is { } next && next != block
                && next != function.Entry && predecessors[next] == 1)
            {
                BlockSurgery.Append(block, next);
                function.Blocks.Remove(next);
                return true;
            }
        }

        return false;
    }
}
