using CoDesign.KernelCompiler.Ir;

namespace CoDesign.KernelCompiler.Passes;

/// <summary>
/// Moves work that follows a loop, and that the loop cannot change, to before the loop, when that
/// makes the block after the loop the twin of another block, which <see cref="TailMerging"/> then
/// merges. The shape: a block P that branches into a loop of one block L or past it to X, X reached
/// only from P and L, and a block Y that does what X does but for some assignments. Each of those
/// must have a value that reads only variables L does not assign (no memory), to a variable that L
/// neither reads nor assigns and that the rest of X does not read: every way from P to X keeps
/// those variables as P left them, so the value is the same in P, and it is computed there.
/// What it is for: a CCS column's bookkeeping after its entry loop (<c>consumed += end - begin</c>)
/// makes the way out after the entries differ from the way a skipped column takes; once it moves,
/// the column loop has one latch and can be flattened into its entry loop.
/// </summary>
public sealed class ExitHoisting : IIrPass
{
    /// <inheritdoc/>
    public string Name => "exit hoisting";

    /// <inheritdoc/>
    public bool Run(IrFunction function)
    {
        Dictionary<IrBlock, int> predecessors = BlockSurgery.PredecessorCounts(function);
        foreach (IrBlock loop in function.Blocks.Where(Scheduling.ModuloScheduler.IsLoop))
        {
            IrBlock after = loop.Target == loop ? loop.Else! : loop.Target!;
            IrBlock? before = function.Blocks.FirstOrDefault(b => b != loop && b.Terminator == IrTerminatorKind.Branch
                && ((b.Target == loop && b.Else == after) || (b.Target == after && b.Else == loop)));
            if (before is null || after == loop || after == before || predecessors[loop] != 2 || predecessors[after] != 2)
            {
                continue;
            }

            foreach (IrBlock twin in function.Blocks.Where(b => b != after && b != loop && b != before))
            {
                var extra = after.Assignments.Keys.Where(v => !twin.Assignments.ContainsKey(v)).ToHashSet();
                if (extra.Count > 0 && extra.All(v => Movable(loop, after, v, extra)) && TailMerging.Same(after, twin, extra))
                {
                    // Every value first, then the assignments: each reads the variables as P leaves them.
                    var values = extra.ToDictionary(v => v, v => BlockSurgery.CopyExpression(before, after.Assignments[v], u => BlockSurgery.ValueAtEnd(before, u)));
                    foreach ((IrVariable v, IrNode value) in values)
                    {
                        before.Assignments[v] = value;
                        after.Assignments.Remove(v);
                    }

                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="after"/>'s assignment to <paramref name="v"/> can move before <paramref name="loop"/> with those of <paramref name="moving"/>.</summary>
    private static bool Movable(IrBlock loop, IrBlock after, IrVariable v, HashSet<IrVariable> moving)
    {
        if (loop.Assignments.ContainsKey(v) || loop.Nodes.Any(n => n.Op == IrOp.ReadVar && n.Variable == v)
            || BlockSurgery.Operands(after.Assignments[v]).Any(n => n.IsMemoryAccess || (n.Op == IrOp.ReadVar && loop.Assignments.ContainsKey(n.Variable!))))
        {
            return false;
        }

        // What stays in X must not read v: it would see the new value.
        IEnumerable<IrNode> staying = after.Assignments.Where(p => !moving.Contains(p.Key)).Select(p => p.Value)
            .Concat(after.Nodes.Where(n => n.IsMemoryAccess));
        return !(after.Condition is null ? staying : staying.Append(after.Condition))
            .SelectMany(BlockSurgery.Operands).Any(n => n.Op == IrOp.ReadVar && n.Variable == v);
    }
}
