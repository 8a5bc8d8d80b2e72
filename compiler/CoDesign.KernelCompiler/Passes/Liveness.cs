using CoDesign.KernelCompiler.Ir;

namespace CoDesign.KernelCompiler.Passes;

/// <summary>
/// Which variables a block's successors may still read before writing them. A value assigned to a
/// variable that is not live where control goes next is never read, so a pass that merges paths may
/// give it any value there instead of selecting the old one, and dead-code elimination drops it.
/// </summary>
internal static class Liveness
{
    /// <summary>The variables live when each block starts: read on some way from there before being written (out parameters and the return value are read at a return).</summary>
    public static Dictionary<IrBlock, HashSet<IrVariable>> LiveIn(IrFunction function) => Analyze(function, strong: false).In;

    /// <summary>
    /// The variables each block hands on to a use that matters (strong liveness): live when a later
    /// block reads it for a store, a branch, an output or the value of a variable that is itself
    /// live there. A counter that a flattened loop keeps stepping but nothing after it reads is not.
    /// </summary>
    public static Dictionary<IrBlock, HashSet<IrVariable>> StronglyLiveOut(IrFunction function) => Analyze(function, strong: true).Out;

    /// <summary>
    /// The backward fixed point. A block reads what its nodes read; with <paramref name="strong"/>,
    /// only what its stores, its branch, and its assignments to outputs or to variables live after it need.
    /// </summary>
    private static (Dictionary<IrBlock, HashSet<IrVariable>> In, Dictionary<IrBlock, HashSet<IrVariable>> Out) Analyze(IrFunction function, bool strong)
    {
        var results = function.Variables.Where(v => v.Kind is IrVariableKind.Out or IrVariableKind.Return).ToHashSet();
        var liveIn = function.Blocks.ToDictionary(b => b, _ => new HashSet<IrVariable>());
        var liveOut = function.Blocks.ToDictionary(b => b, _ => new HashSet<IrVariable>());
        bool changed = true;
        while (changed)
        {
            changed = false;
            foreach (IrBlock block in Enumerable.Reverse(function.Blocks))
            {
                var after = block.Terminator == IrTerminatorKind.Return ? new HashSet<IrVariable>(results) : [];
                foreach (IrBlock next in block.Successors)
                {
                    after.UnionWith(liveIn[next]);
                }

                liveOut[block] = after;
                var set = new HashSet<IrVariable>(after.Where(v => !block.Assignments.ContainsKey(v)));
                set.UnionWith((strong ? Needed(block, after) : block.Nodes).Where(n => n.Op == IrOp.ReadVar).Select(n => n.Variable!));
                if (!set.IsSubsetOf(liveIn[block]))
                {
                    liveIn[block].UnionWith(set);
                    changed = true;
                }
            }
        }

        return (liveIn, liveOut);
    }

    /// <summary>The nodes of <paramref name="block"/> that its stores, its branch and its assignments to outputs or to <paramref name="after"/>'s variables need.</summary>
    private static IEnumerable<IrNode> Needed(IrBlock block, HashSet<IrVariable> after)
    {
        IEnumerable<IrNode> roots = block.Nodes.Where(n => n.Op == IrOp.Store)
            .Concat(block.Assignments.Where(a => a.Key.Kind != IrVariableKind.Local || after.Contains(a.Key)).Select(a => a.Value));
        return (block.Condition is null ? roots : roots.Append(block.Condition)).SelectMany(BlockSurgery.Operands);
    }
}
