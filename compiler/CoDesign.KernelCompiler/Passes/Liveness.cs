using CoDesign.KernelCompiler.Ir;

namespace CoDesign.KernelCompiler.Passes;

/// <summary>
/// Which variables each block may read before writing them, on some way from its start: a value
/// assigned to a variable that is not live where control goes next is never read, so a pass that
/// merges paths may give it any value there instead of selecting the old one.
/// </summary>
internal static class Liveness
{
    /// <summary>The variables live when each block starts (out parameters and the return value are live at a return).</summary>
    public static Dictionary<IrBlock, HashSet<IrVariable>> LiveIn(IrFunction function)
    {
        var results = function.Variables.Where(v => v.Kind is IrVariableKind.Out or IrVariableKind.Return).ToHashSet();
        var live = function.Blocks.ToDictionary(b => b, _ => new HashSet<IrVariable>());
        bool changed = true;
        while (changed)
        {
            changed = false;
            foreach (IrBlock block in Enumerable.Reverse(function.Blocks))
            {
                var set = block.Terminator == IrTerminatorKind.Return ? new HashSet<IrVariable>(results) : [];
                foreach (IrBlock next in block.Successors)
                {
                    set.UnionWith(live[next]);
                }

                set.ExceptWith(block.Assignments.Keys);
                set.UnionWith(block.Nodes.Where(n => n.Op == IrOp.ReadVar).Select(n => n.Variable!));
                if (!set.IsSubsetOf(live[block]))
                {
                    live[block].UnionWith(set);
                    changed = true;
                }
            }
        }

        return live;
    }

    /// <summary>
    /// The variables each block hands on to a use that matters (strong liveness): live when a later
    /// block reads it for a store, a branch, an output or the value of a variable that is itself
    /// live there. A counter that a flattened loop keeps stepping but nothing after it reads is not.
    /// </summary>
    public static Dictionary<IrBlock, HashSet<IrVariable>> StronglyLiveOut(IrFunction function)
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
                IEnumerable<IrNode> roots = block.Nodes.Where(n => n.Op == IrOp.Store)
                    .Concat(block.Assignments.Where(a => a.Key.Kind != IrVariableKind.Local || after.Contains(a.Key)).Select(a => a.Value));
                if (block.Condition is not null)
                {
                    roots = roots.Append(block.Condition);
                }

                var set = new HashSet<IrVariable>(after.Where(v => !block.Assignments.ContainsKey(v)));
                set.UnionWith(roots.SelectMany(BlockSurgery.Operands).Where(n => n.Op == IrOp.ReadVar).Select(n => n.Variable!));
                if (!set.IsSubsetOf(liveIn[block]))
                {
                    liveIn[block].UnionWith(set);
                    changed = true;
                }
            }
        }

        return liveOut;
    }
}
