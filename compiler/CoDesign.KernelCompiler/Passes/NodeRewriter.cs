using CoDesign.KernelCompiler.Ir;

namespace CoDesign.KernelCompiler.Passes;

/// <summary>Replaces uses of nodes inside one block (operands, assignments, the branch condition).</summary>
internal static class NodeRewriter
{
    public static void Replace(IrBlock block, IReadOnlyDictionary<IrNode, IrNode> replacements)
    {
        if (replacements.Count == 0)
        {
            return;
        }

        foreach (IrNode node in block.Nodes)
        {
            for (int i = 0; i < node.Inputs.Length; i++)
            {
                node.Inputs[i] = Resolve(node.Inputs[i], replacements);
            }
        }

        foreach (IrVariable v in block.Assignments.Keys.ToList())
        {
            block.Assignments[v] = Resolve(block.Assignments[v], replacements);
        }

        if (block.Condition is not null)
        {
            block.Condition = Resolve(block.Condition, replacements);
        }
    }

    private static IrNode Resolve(IrNode node, IReadOnlyDictionary<IrNode, IrNode> replacements)
    {
        while (replacements.TryGetValue(node, out IrNode? next))
        {
            node = next;
        }

        return node;
    }
}
