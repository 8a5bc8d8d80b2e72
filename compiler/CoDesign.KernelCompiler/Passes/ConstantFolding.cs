using CoDesign.KernelCompiler.Ir;

namespace CoDesign.KernelCompiler.Passes;

/// <summary>
/// Computes operations whose operands are constants, applies identities that need no operand
/// (<c>x + 0</c>, <c>x * 1</c>, <c>x &amp; 0</c>, ...), folds branches on constants, and merges equal
/// constants of a block. A load or store guarded by a constant loses its guard (true) or its effect
/// (false: a store goes, a load gives 0).
/// </summary>
public sealed class ConstantFolding : IIrPass
{
    /// <inheritdoc/>
    public string Name => "constant folding";

    /// <inheritdoc/>
    public bool Run(IrFunction function)
    {
        bool changed = false;
        foreach (IrBlock block in function.Blocks)
        {
            var replacements = new Dictionary<IrNode, IrNode>();
            var constants = new Dictionary<(long, int, bool, bool), IrNode>();
            var dropped = new HashSet<IrNode>();
            foreach (IrNode node in block.Nodes)
            {
                for (int i = 0; i < node.Inputs.Length; i++)
                {
                    while (replacements.TryGetValue(node.Inputs[i], out IrNode? r))
                    {
                        node.Inputs[i] = r;
                    }
                }

                if (node.Op == IrOp.Const)
                {
                    var key = (node.Constant, node.Type.Bits, node.Type.Signed, node.Type.IsBool);
                    if (constants.TryGetValue(key, out IrNode? same))
                    {
                        replacements[node] = same;
                    }
                    else
                    {
                        constants[key] = node;
                    }

                    continue;
                }

                if (node.IsMemoryAccess && node.Guard is { Op: IrOp.Const } guard)
                {
                    changed = true;
                    if (guard.Constant != 0)
                    {
                        node.SetGuard(null);
                    }
                    else if (node.Op == IrOp.Store)
                    {
                        dropped.Add(node);
                    }
                    else
                    {
                        node.Op = IrOp.Const;
                        node.Constant = 0;
                        node.Inputs = [];
                        node.Memory = null;
                    }
                }

                if (node.IsMemoryAccess || node.Op is IrOp.ReadVar or IrOp.Const)
                {
                    continue;
                }

                IrNode? simpler = Simplify(node);
                if (simpler is not null)
                {
                    replacements[node] = simpler;
                    changed = true;
                }
                else if (node.Inputs.All(i => i.Op == IrOp.Const)
                    && IrSemantics.TryEvaluate(node, Arg(node, 0), Arg(node, 1), Arg(node, 2), out long value))
                {
                    node.Op = IrOp.Const;
                    node.Constant = value;
                    node.Inputs = [];
                    changed = true;
                }
            }

            NodeRewriter.Replace(block, replacements);
            block.Nodes.RemoveAll(n => replacements.ContainsKey(n) || dropped.Contains(n));
            if (block.Terminator == IrTerminatorKind.Branch && block.Condition!.Op == IrOp.Const)
            {
                block.Target = block.Condition.Constant != 0 ? block.Target : block.Else;
                block.Terminator = IrTerminatorKind.Jump;
                block.Condition = null;
                block.Else = null;
                changed = true;
            }
        }

        return changed;
    }

    private static long Arg(IrNode node, int i) => node.Inputs.Length > i ? node.Inputs[i].Constant : 0;

    /// <summary>An existing node equal to <paramref name="node"/>, when an identity gives one.</summary>
    private static IrNode? Simplify(IrNode node)
    {
        if (node.Op == IrOp.Convert && node.Inputs[0].Type == node.Type)
        {
            return node.Inputs[0];
        }

        if (node.Op == IrOp.Select && node.Inputs[0].Op == IrOp.Const)
        {
            return node.Inputs[0].Constant != 0 ? node.Inputs[1] : node.Inputs[2];
        }

        if (node.Inputs.Length != 2 || node.Inputs[1].Op != IrOp.Const)
        {
            return null;
        }

        long b = node.Inputs[1].Constant;
        return (node.Op, b) switch
        {
            (IrOp.Add or IrOp.Sub or IrOp.Or or IrOp.Xor or IrOp.Shl or IrOp.Shr, 0) => node.Inputs[0],
            (IrOp.Mul or IrOp.Div, 1) => node.Inputs[0],
            _ => null,
        };
    }
}
