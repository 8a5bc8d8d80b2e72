using CoDesign.KernelCompiler.Ir;

namespace CoDesign.KernelCompiler.Passes;

/// <summary>
/// Merges blocks that do exactly the same thing (the same operations on the same variables and
/// memories, the same assignments, the same way out): the edges into one go to the other. Tail
/// duplication and the passes that move work out of a block leave such twins, e.g. the latch of a
/// column loop reached after its entries and the one a skipped column takes.
/// </summary>
public sealed class TailMerging : IIrPass
{
    /// <inheritdoc/>
    public string Name => "tail merging";

    /// <inheritdoc/>
    public bool Run(IrFunction function)
    {
        bool changed = false;
        for (int i = 1; i < function.Blocks.Count; i++)
        {
            for (int k = i + 1; k < function.Blocks.Count; k++)
            {
                IrBlock keep = function.Blocks[i];
                IrBlock twin = function.Blocks[k];
                if (!Same(keep, twin))
                {
                    continue;
                }

                foreach (IrBlock block in function.Blocks)
                {
                    block.Target = block.Target == twin ? keep : block.Target;
                    block.Else = block.Else == twin ? keep : block.Else;
                }

                function.Blocks.RemoveAt(k);
                k--;
                changed = true;
            }
        }

        return changed;
    }

    /// <summary>
    /// True when <paramref name="a"/>, leaving out its assignments to <paramref name="without"/>, does
    /// what <paramref name="b"/> does: the same memory accesses in the same order, the same values
    /// assigned to the same variables, and the same way out. Values compare by what they compute,
    /// whatever the order of the operations in the block.
    /// </summary>
    internal static bool Same(IrBlock a, IrBlock b, IReadOnlySet<IrVariable>? without = null)
    {
        var assignments = a.Assignments.Where(p => without is null || !without.Contains(p.Key)).ToList();
        if (a == b || assignments.Count != b.Assignments.Count || a.Terminator != b.Terminator
            || a.Target != b.Target || a.Else != b.Else || a.Successors.Contains(a) || b.Successors.Contains(b))
        {
            return false;
        }

        // Accesses compare by address: the two lists are compared in order, so no store comes between.
        var same = new NodeComparison(accesses: true);
        List<IrNode> left = [.. a.Nodes.Where(n => n.IsMemoryAccess)];
        List<IrNode> right = [.. b.Nodes.Where(n => n.IsMemoryAccess)];
        return left.Count == right.Count && left.Zip(right).All(p => same.Same(p.First, p.Second))
            && assignments.All(p => b.Assignments.TryGetValue(p.Key, out IrNode? other) && same.Same(p.Value, other))
            && (a.Condition is null ? b.Condition is null : b.Condition is not null && same.Same(a.Condition, b.Condition));
    }
}
