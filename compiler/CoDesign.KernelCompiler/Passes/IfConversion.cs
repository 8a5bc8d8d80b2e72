using CoDesign.KernelCompiler.Ir;
using CoDesign.KernelCompiler.Signature;

namespace CoDesign.KernelCompiler.Passes;

/// <summary>
/// Turns a small if/else (a diamond) or if without else (a triangle) into straight-line code: both
/// arms are computed and each variable they assign takes a select on the condition. The branch
/// costs no state and the arms chain with what follows. An arm's loads and stores become predicated
/// accesses guarded by its side of the condition (and by any guard they already had), so a loop body
/// with a conditional access becomes one block the modulo scheduler can pipeline. Arms of more than a
/// few operations stay branches. The variables the arms assign keep, as their
/// <see cref="IrVariable.Bounds"/>, the ranges the branch conditions proved for them: the selects
/// would hide those from width narrowing (a bit count that a test keeps below 16 stays 4 bits).
/// </summary>
/// <param name="addressBits">Address bits of the span ports (bounds the span lengths in the range analysis).</param>
public sealed class IfConversion(int addressBits = 16) : IIrPass
{
    private const int MaxNodesPerArm = 32;

    /// <inheritdoc/>
    public string Name => "if-conversion";

    /// <inheritdoc/>
    public bool Run(IrFunction function)
    {
        // Ranges are computed once, before the first conversion: converting keeps every value a
        // variable can take (a select takes an arm's value or the old one), so they stay true.
        Dictionary<IrVariable, Interval>? ranges = null;
        return BlockSurgery.RewriteUntilStable(function, BlockSurgery.PredecessorCounts, (block, predecessors) =>
            TryConvert(function, block, predecessors, () => ranges ??= new WidthNarrowing(addressBits).VariableRanges(function)));
    }

    /// <summary>Converts the diamond or triangle that <paramref name="block"/> branches into, if it heads one.</summary>
    private static bool TryConvert(IrFunction function, IrBlock block, Dictionary<IrBlock, int> predecessors, Func<Dictionary<IrVariable, Interval>> ranges)
    {
        if (block.Terminator != IrTerminatorKind.Branch)
        {
            return false;
        }

        IrBlock whenTrue = block.Target!;
        IrBlock whenFalse = block.Else!;
        IrBlock? join = null;
        IrBlock? armTrue = null;
        IrBlock? armFalse = null;
        if (IsArm(whenTrue, block, predecessors) && IsArm(whenFalse, block, predecessors) && whenTrue.Target == whenFalse.Target)
        {
            (armTrue, armFalse, join) = (whenTrue, whenFalse, whenTrue.Target);
        }
        else if (IsArm(whenTrue, block, predecessors) && whenTrue.Target == whenFalse)
        {
            (armTrue, join) = (whenTrue, whenFalse);
        }
        else if (IsArm(whenFalse, block, predecessors) && whenFalse.Target == whenTrue)
        {
            (armFalse, join) = (whenFalse, whenTrue);
        }

        if (join is null || join == block)
        {
            return false;
        }

        Dictionary<IrVariable, Interval> proven = ranges();
        foreach (IrVariable v in new[] { armTrue, armFalse }.OfType<IrBlock>().SelectMany(arm => arm.Assignments.Keys))
        {
            if (proven.TryGetValue(v, out Interval range))
            {
                v.Bounds = range.Intersect(v.Bounds);
            }
        }

        Convert(function, block, armTrue, armFalse, join);
        return true;
    }

    private static bool IsArm(IrBlock arm, IrBlock from, Dictionary<IrBlock, int> predecessors) =>
        arm != from && predecessors[arm] == 1 && arm.Terminator == IrTerminatorKind.Jump
        && arm.Nodes.Count <= MaxNodesPerArm;

    private static void Convert(IrFunction function, IrBlock block, IrBlock? armTrue, IrBlock? armFalse, IrBlock join)
    {
        IrNode condition = block.Condition!;
        var before = new Dictionary<IrVariable, IrNode>(block.Assignments);
        Dictionary<IrVariable, IrNode> valuesTrue = armTrue is null ? [] : BlockSurgery.AppendArm(block, armTrue, before, () => condition);
        IrNode? negated = null;
        Dictionary<IrVariable, IrNode> valuesFalse = armFalse is null ? [] : BlockSurgery.AppendArm(block, armFalse, before, () =>
        {
            if (negated is null)
            {
                negated = new IrNode(IrOp.LogicalNot, KernelValueType.Bool, condition) { Origin = condition.Origin };
                block.Nodes.Add(negated);
            }

            return negated;
        });
        foreach (IrVariable v in valuesTrue.Keys.Union(valuesFalse.Keys).ToList())
        {
            IrNode t = valuesTrue.TryGetValue(v, out IrNode? a) ? a : BlockSurgery.ValueAtEnd(block, v);
            IrNode f = valuesFalse.TryGetValue(v, out IrNode? b) ? b : BlockSurgery.ValueAtEnd(block, v);
            var select = new IrNode(IrOp.Select, v.Type, condition, BlockSurgery.Fit(block, t, v.Type), BlockSurgery.Fit(block, f, v.Type)) { Origin = condition.Origin };
            block.Nodes.Add(select);
            block.Assignments[v] = select;
        }

        block.Terminator = IrTerminatorKind.Jump;
        block.Target = join;
        block.Condition = null;
        block.Else = null;
        function.Blocks.RemoveAll(b => b == armTrue || b == armFalse);
    }
}
