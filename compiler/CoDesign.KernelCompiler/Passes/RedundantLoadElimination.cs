using CoDesign.KernelCompiler.Ir;

namespace CoDesign.KernelCompiler.Passes;

/// <summary>
/// A load of the element an earlier load of the same block already read, with no store to that
/// memory between them, takes the earlier load's value. If-conversion leaves such pairs behind
/// (<c>if ((data[i] &amp; 1) != 0) sum += data[i];</c> reads <c>data[i]</c> again under a guard), and
/// each costs a cycle of the memory's one read port, so a pipelined loop would need II=2. The later
/// load may be guarded: where its guard is false its value feeds only selects that discard it.
/// The earlier one must be unguarded, or guarded by the same node.
/// </summary>
public sealed class RedundantLoadElimination : IIrPass
{
    /// <inheritdoc/>
    public string Name => "redundant load elimination";

    /// <inheritdoc/>
    public bool Run(IrFunction function)
    {
        bool changed = false;
        foreach (IrBlock block in function.Blocks)
        {
            var replacements = new Dictionary<IrNode, IrNode>();
            var available = new List<IrNode>();
            foreach (IrNode node in block.Nodes)
            {
                if (node.Op == IrOp.Store)
                {
                    available.RemoveAll(load => load.Memory == node.Memory);
                }
                else if (node.Op == IrOp.Load)
                {
                    IrNode? earlier = available.FirstOrDefault(load => load.Memory == node.Memory && load.Inputs[0] == node.Inputs[0]
                        && (load.Guard is null || load.Guard == node.Guard));
                    if (earlier is null)
                    {
                        available.Add(node);
                    }
                    else
                    {
                        replacements[node] = earlier;
                    }
                }
            }

            if (replacements.Count > 0)
            {
                NodeRewriter.Replace(block, replacements);
                block.Nodes.RemoveAll(replacements.ContainsKey);
                changed = true;
            }
        }

        return changed;
    }
}
