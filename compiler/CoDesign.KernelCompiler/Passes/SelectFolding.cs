using CoDesign.KernelCompiler.Ir;
using CoDesign.KernelCompiler.Signature;

namespace CoDesign.KernelCompiler.Passes;

/// <summary>
/// Folds the selects that merged paths leave (if-conversion, branch merging, loop flattening):
/// <list type="bullet">
/// <item>a select inside a select that shares an arm with it becomes one select on the combined
/// condition, e.g. <c>c ? a : (d ? b : a)</c> is <c>(!c &amp;&amp; d) ? b : a</c>: one mux, not two;</item>
/// <item>a select between <c>x + d</c> and <c>x</c> becomes <c>x + (c ? d : 0)</c>: a counter that only
/// sometimes counts is one adder whose operand is masked, and the select leaves the carried value's
/// path (<c>consumed += end - begin</c> in a flattened column loop).</item>
/// </list>
/// Only a select that nothing else uses is folded into another, so no logic is duplicated.
/// </summary>
public sealed class SelectFolding : IIrPass
{
    /// <inheritdoc/>
    public string Name => "select folding";

    /// <inheritdoc/>
    public bool Run(IrFunction function)
    {
        bool changed = false;
        foreach (IrBlock block in function.Blocks)
        {
            Dictionary<IrNode, int> uses = Uses(block);
            var nodes = new List<IrNode>(block.Nodes.Count);
            var replacements = new Dictionary<IrNode, IrNode>();
            foreach (IrNode node in block.Nodes)
            {
                node.Inputs = [.. node.Inputs.Select(i => replacements.TryGetValue(i, out IrNode? r) ? r : i)];
                var added = new List<IrNode>();
                IrNode? folded = node.Op == IrOp.Select ? Fold(node, uses, added) : null;
                if (folded is null)
                {
                    nodes.Add(node);
                    continue;
                }

                nodes.AddRange(added);
                replacements[node] = folded;
                changed = true;
            }

            block.Nodes.Clear();
            block.Nodes.AddRange(nodes);
            NodeRewriter.Replace(block, replacements);
        }

        return changed;
    }

    private static Dictionary<IrNode, int> Uses(IrBlock block)
    {
        var uses = new Dictionary<IrNode, int>();
        IEnumerable<IrNode> used = block.Nodes.SelectMany(n => n.Inputs).Concat(block.Assignments.Values);
        foreach (IrNode node in block.Condition is null ? used : used.Append(block.Condition))
        {
            uses[node] = uses.GetValueOrDefault(node) + 1;
        }

        return uses;
    }

    private static IrNode? Fold(IrNode select, Dictionary<IrNode, int> uses, List<IrNode> added)
    {
        IrNode c = select.Inputs[0];
        IrNode t = select.Inputs[1];
        IrNode f = select.Inputs[2];
        IrNode Add(IrNode node)
        {
            added.Add(node);
            return node;
        }

        IrNode Bool(IrOp op, params IrNode[] inputs) => Add(new IrNode(op, KernelValueType.Bool, inputs) { Origin = select.Origin });
        IrNode Select(IrNode condition, IrNode whenTrue, IrNode whenFalse) =>
            Add(new IrNode(IrOp.Select, select.Type, condition, whenTrue, whenFalse) { Origin = select.Origin, Storage = select.Storage });
        bool Single(IrNode node) => node.Op == IrOp.Select && node.Type == select.Type && uses.GetValueOrDefault(node) == 1;

        if (Single(f) && f.Inputs[2] == t)
        {
            return Select(Bool(IrOp.And, Bool(IrOp.LogicalNot, c), f.Inputs[0]), f.Inputs[1], t);
        }

        if (Single(f) && f.Inputs[1] == t)
        {
            return Select(Bool(IrOp.Or, c, f.Inputs[0]), t, f.Inputs[2]);
        }

        if (Single(t) && t.Inputs[2] == f)
        {
            return Select(Bool(IrOp.And, c, t.Inputs[0]), t.Inputs[1], f);
        }

        if (Single(t) && t.Inputs[1] == f)
        {
            return Select(Bool(IrOp.And, c, Bool(IrOp.LogicalNot, t.Inputs[0])), t.Inputs[2], f);
        }

        // c ? x + d : x is x + (c ? d : 0), and the other way round.
        foreach ((IrNode sum, IrNode x, bool sumWhenTrue) in new[] { (t, f, true), (f, t, false) })
        {
            if (sum.Op != IrOp.Add || sum.Type != select.Type || uses.GetValueOrDefault(sum) != 1 || !sum.Inputs.Contains(x) || x.Type != select.Type)
            {
                continue;
            }

            IrNode d = sum.Inputs[0] == x ? sum.Inputs[1] : sum.Inputs[0];
            if (d.Type != select.Type)
            {
                continue;
            }

            IrNode zero = Add(new IrNode(IrOp.Const, select.Type) { Constant = 0, Origin = select.Origin, Storage = new Storage(1, false) });
            IrNode masked = sumWhenTrue ? Select(c, d, zero) : Select(c, zero, d);
            return Add(new IrNode(IrOp.Add, select.Type, x, masked) { Origin = sum.Origin, Storage = sum.Storage });
        }

        return null;
    }
}
