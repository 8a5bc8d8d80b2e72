using CoDesign.KernelCompiler.Ir;

namespace CoDesign.KernelCompiler.Passes;

/// <summary>
/// Removes nodes nothing uses, assignments to locals nothing reads, and then the locals themselves:
/// each would otherwise cost logic or a register. An assignment counts as read only when a later
/// block uses the value for something that matters (<see cref="Liveness.StronglyLiveOut"/>): a
/// counter a flattened loop keeps stepping but nothing after it reads goes.
/// </summary>
public sealed class DeadCodeElimination : IIrPass
{
    /// <inheritdoc/>
    public string Name => "dead code elimination";

    /// <inheritdoc/>
    public bool Run(IrFunction function)
    {
        bool changed = false;
        bool again = true;
        while (again)
        {
            again = false;
            Dictionary<IrBlock, HashSet<IrVariable>> liveOut = Liveness.StronglyLiveOut(function);
            foreach (IrBlock block in function.Blocks)
            {
                foreach (IrVariable v in block.Assignments.Keys.ToList())
                {
                    if (v.Kind == IrVariableKind.Local && !liveOut[block].Contains(v))
                    {
                        block.Assignments.Remove(v);
                        again = true;
                    }
                }

                var used = new HashSet<IrNode>(block.Assignments.Values);
                if (block.Condition is not null)
                {
                    used.Add(block.Condition);
                }

                for (int i = block.Nodes.Count - 1; i >= 0; i--)
                {
                    IrNode node = block.Nodes[i];
                    if (node.Op == IrOp.Store || used.Contains(node))
                    {
                        used.UnionWith(node.Inputs);
                        continue;
                    }

                    block.Nodes.RemoveAt(i);
                    again = true;
                }
            }

            changed |= again;
        }

        var live = new HashSet<IrVariable>(function.Blocks.SelectMany(b => b.Nodes).Where(n => n.Op == IrOp.ReadVar).Select(n => n.Variable!));
        live.UnionWith(function.Blocks.SelectMany(b => b.Assignments.Keys));
        changed |= function.Variables.RemoveAll(v => v.Kind == IrVariableKind.Local && !live.Contains(v)) > 0;
        return changed;
    }
}
