using CoDesign.KernelCompiler.Ir;

namespace CoDesign.KernelCompiler.Passes;

/// <summary>
/// In a loop of one block, a carried variable updated as <c>v := (v + y) + c</c> (a constant
/// <c>c</c>; <c>v + y</c> may have other uses, as <c>acc[row]</c> does in <c>row += z; acc[row] += ...; row++</c>)
/// becomes <c>v := v + (y + c)</c>: one add between the variable's read and its new value instead of
/// two. A pipelined loop's initiation interval is bounded by that chain (the next iteration reads
/// the new value), so two 32-bit adds that do not fit one cycle held the PE kernel's entry loop to
/// II=2 at 40 MHz. Exact: addition at one width is associative modulo 2^width.
/// </summary>
public sealed class RecurrenceReassociation : IIrPass
{
    /// <inheritdoc/>
    public string Name => "recurrence reassociation";

    /// <inheritdoc/>
    public bool Run(IrFunction function)
    {
        bool changed = false;
        foreach (IrBlock block in function.Blocks.Where(b => b.Successors.Contains(b)))
        {
            foreach ((IrVariable variable, IrNode update) in block.Assignments.ToList())
            {
                if (Reassociated(block, variable, update) is { } shorter)
                {
                    block.Assignments[variable] = shorter;
                    changed = true;
                }
            }
        }

        return changed;
    }

    private static IrNode? Reassociated(IrBlock block, IrVariable variable, IrNode update)
    {
        if (update.Op != IrOp.Add || Split(update, n => n.Op == IrOp.Const) is not ({ } constant, { } sum)
            || sum.Op != IrOp.Add || sum.Type != update.Type
            || Split(sum, n => n.Op == IrOp.ReadVar && n.Variable == variable) is not ({ } read, { } other)
            || other.Type != update.Type || BlockSurgery.Operands(other).Any(n => n.Op == IrOp.ReadVar && n.Variable == variable))
        {
            return null;
        }

        var step = new IrNode(IrOp.Add, update.Type, other, constant) { Origin = update.Origin };
        var shorter = new IrNode(IrOp.Add, update.Type, read, step) { Origin = update.Origin };
        block.Nodes.Add(step);
        block.Nodes.Add(shorter);
        return shorter;
    }

    /// <summary>The operand of a two-input node that matches, and the other one.</summary>
    private static (IrNode? Match, IrNode? Other) Split(IrNode node, Func<IrNode, bool> match) =>
        match(node.Inputs[1]) ? (node.Inputs[1], node.Inputs[0]) : match(node.Inputs[0]) ? (node.Inputs[0], node.Inputs[1]) : (null, null);
}
