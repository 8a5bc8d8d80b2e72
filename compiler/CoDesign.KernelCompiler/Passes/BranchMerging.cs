using CoDesign.KernelCompiler.Ir;
using CoDesign.KernelCompiler.Signature;

namespace CoDesign.KernelCompiler.Passes;

/// <summary>
/// Joins a test that skips a loop with the loop's own entry test: a block P that branches to S or
/// to T, where S (reached only from P) branches into a loop of one block L or to T, and L leaves to
/// T. S's work moves into P (its memory accesses guarded by P's side, its assignments selected on
/// it, or plain where T does not read the variable before writing it), and P branches into L when both tests pass, else to T. So a column skipped for a zero
/// activation and a column with no entries leave the same way, one state earlier, and the nest has
/// the shape <see cref="LoopFlattening"/> takes.
/// </summary>
public sealed class BranchMerging : IIrPass
{
    private const int MaxNodes = 32;

    /// <inheritdoc/>
    public string Name => "branch merging";

    /// <inheritdoc/>
    public bool Run(IrFunction function) =>
        BlockSurgery.RewriteUntilStable(function, BlockSurgery.PredecessorCounts, (block, predecessors) => TryMerge(function, block, predecessors));

    /// <summary>Merges the loop-skipping test that <paramref name="block"/> branches to on either side, if there is one.</summary>
    private static bool TryMerge(IrFunction function, IrBlock block, Dictionary<IrBlock, int> predecessors)
    {
        if (block.Terminator != IrTerminatorKind.Branch)
        {
            return false;
        }

        foreach ((IrBlock test, IrBlock skip, bool toTest) in new[] { (block.Target!, block.Else!, true), (block.Else!, block.Target!, false) })
        {
            if (test == block || skip == block || test == skip || test == function.Entry || predecessors[test] != 1
                || test.Terminator != IrTerminatorKind.Branch || test.Nodes.Count > MaxNodes)
            {
                continue;
            }

            IrBlock loop = test.Target == skip ? test.Else! : test.Target!;
            if (loop == test || loop == block || (test.Target != skip && test.Else != skip) || !Scheduling.ModuloScheduler.IsLoop(loop)
                || (loop.Target == loop ? loop.Else : loop.Target) != skip)
            {
                continue;
            }

            Merge(function, block, test, toTest, loop, skip);
            return true;
        }

        return false;
    }

    private static void Merge(IrFunction function, IrBlock block, IrBlock test, bool toTest, IrBlock loop, IrBlock skip)
    {
        IrNode side = block.Condition!;
        if (!toTest)
        {
            side = new IrNode(IrOp.LogicalNot, KernelValueType.Bool, side) { Origin = side.Origin };
            block.Nodes.Add(side);
        }

        var before = new Dictionary<IrVariable, IrNode>(block.Assignments);
        Dictionary<IrVariable, IrNode> assigned = BlockSurgery.AppendArm(block, test, before, () => side);
        HashSet<IrVariable> liveAtSkip = Liveness.LiveIn(function)[skip];
        foreach ((IrVariable v, IrNode value) in assigned)
        {
            if (!liveAtSkip.Contains(v))
            {
                // Going to the skip block, nothing reads it before writing it: no select needed.
                block.Assignments[v] = BlockSurgery.Fit(block, value, v.Type);
                continue;
            }

            IrNode old = BlockSurgery.Fit(block, before.TryGetValue(v, out IrNode? known) ? known : BlockSurgery.ValueAtEnd(block, v), v.Type);
            var select = new IrNode(IrOp.Select, v.Type, side, BlockSurgery.Fit(block, value, v.Type), old) { Origin = test.Origin };
            block.Nodes.Add(select);
            block.Assignments[v] = select;
        }

        IrNode enters = test.Condition!;
        if (test.Target != loop)
        {
            enters = new IrNode(IrOp.LogicalNot, KernelValueType.Bool, enters) { Origin = enters.Origin };
            block.Nodes.Add(enters);
        }

        var both = new IrNode(IrOp.And, KernelValueType.Bool, side, enters) { Origin = test.Origin };
        block.Nodes.Add(both);
        block.Condition = both;
        block.Target = loop;
        block.Else = skip;
        function.Blocks.Remove(test);
    }
}
