using CoDesign.KernelCompiler.Ir;

namespace CoDesign.KernelCompiler.Passes;

/// <summary>
/// Whether two nodes compute the same value, by their structure: the same node, or the same
/// operation, type, constant, variable, memory and storage on operands that compare the same
/// (memoized, so shared operands are compared once).
/// </summary>
/// <param name="accesses">
/// Whether two different memory accesses may compare the same (their addresses do); the caller must
/// then know that no store comes between them. Otherwise an access matches only itself.
/// </param>
/// <param name="readsOfFirst">
/// When given, a variable read on the first side stands for the node it gives (a node of the second
/// side's block), compared without this substitution: a test of one block evaluated on the values
/// another leaves.
/// </param>
internal sealed class NodeComparison(bool accesses = false, Func<IrVariable, IrNode>? readsOfFirst = null)
{
    private readonly Dictionary<(IrNode, IrNode), bool> known = [];

    /// <summary>True when <paramref name="a"/> computes what <paramref name="b"/> does.</summary>
    public bool Same(IrNode a, IrNode b)
    {
        if (a == b)
        {
            return true;
        }

        if (known.TryGetValue((a, b), out bool same))
        {
            return same;
        }

        if (readsOfFirst is not null && a.Op == IrOp.ReadVar)
        {
            same = new NodeComparison(accesses).Same(readsOfFirst(a.Variable!), b);
        }
        else
        {
            same = a.Op == b.Op && a.Type == b.Type && a.Constant == b.Constant && a.Variable == b.Variable && a.Memory == b.Memory
                && a.Storage == b.Storage && (accesses || (!a.IsMemoryAccess && !b.IsMemoryAccess))
                && a.Inputs.Length == b.Inputs.Length && a.Inputs.Zip(b.Inputs).All(p => Same(p.First, p.Second));
        }

        known[(a, b)] = same;
        return same;
    }
}
