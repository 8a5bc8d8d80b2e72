using CoDesign.KernelCompiler.Ir;

namespace CoDesign.KernelCompiler.Passes;

/// <summary>
/// Folds a comparison that the range analysis decides (its operands' ranges do not overlap the way
/// it asks, or always do) into a constant, so the branch on it goes. What it is for: a loop whose
/// test the code before it already settles. <c>while (heldBits &lt; valueBits)</c> after a first
/// read of 8 bits never runs again for values of up to 8 bits, and once it is gone the body around
/// it is one block the modulo scheduler can pipeline.
/// </summary>
/// <param name="addressBits">Address bits of the span ports (bounds the span lengths in the range analysis).</param>
public sealed class RangeFolding(int addressBits = 16) : IIrPass
{
    /// <inheritdoc/>
    public string Name => "range folding";

    /// <inheritdoc/>
    public bool Run(IrFunction function)
    {
        List<IrNode> comparisons = [.. function.Blocks.SelectMany(b => b.Nodes)
            .Where(n => n.Op is IrOp.Lt or IrOp.Le or IrOp.Gt or IrOp.Ge or IrOp.Eq or IrOp.Ne && n.Inputs[0].Type == n.Inputs[1].Type)
            .Where(n => n.Inputs.Any(i => i.Op != IrOp.Const))];
        if (comparisons.Count == 0)
        {
            return false;
        }

        Dictionary<IrNode, Interval> ranges = new WidthNarrowing(addressBits).NodeRanges(function);
        bool changed = false;
        foreach (IrNode comparison in comparisons)
        {
            if (ranges.TryGetValue(comparison.Inputs[0], out Interval a) && ranges.TryGetValue(comparison.Inputs[1], out Interval b)
                && Decide(comparison.Op, a, b) is bool result)
            {
                comparison.Op = IrOp.Const;
                comparison.Constant = result ? 1 : 0;
                comparison.Inputs = [];
                changed = true;
            }
        }

        return changed;
    }

    /// <summary>The comparison's result for every pair of values from the two ranges, or null when it varies.</summary>
    private static bool? Decide(IrOp op, Interval a, Interval b) => op switch
    {
        IrOp.Lt => a.High < b.Low ? true : a.Low >= b.High ? false : null,
        IrOp.Le => a.High <= b.Low ? true : a.Low > b.High ? false : null,
        IrOp.Gt => a.Low > b.High ? true : a.High <= b.Low ? false : null,
        IrOp.Ge => a.Low >= b.High ? true : a.High < b.Low ? false : null,
        IrOp.Eq => a.Low == a.High && b.Low == b.High && a.Low == b.Low ? true : a.High < b.Low || b.High < a.Low ? false : null,
        IrOp.Ne => a.Low == a.High && b.Low == b.High && a.Low == b.Low ? false : a.High < b.Low || b.High < a.Low ? true : null,
        _ => null,
    };
}
