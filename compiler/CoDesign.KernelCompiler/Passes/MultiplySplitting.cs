using CoDesign.KernelCompiler.Ir;
using CoDesign.KernelCompiler.Scheduling;

namespace CoDesign.KernelCompiler.Passes;

/// <summary>
/// A multiply slower than the clock period is split into two half multiplies and an add, so the
/// scheduler can put a register between them: <c>a * b = a * (b &amp; (2^k - 1)) + ((a * (b &gt;&gt; k)) &lt;&lt; k)</c>,
/// with <c>b</c> the narrower operand and <c>k</c> half its bits (<c>b &gt;&gt; k</c> keeps the sign). Each
/// half sums half the partial products, and the halves are split again while they are still too
/// slow. The identity holds in two's complement modulo the type's width, so the result is exact.
/// Runs after width narrowing (the delays depend on the operands' widths); narrowing then runs again.
/// </summary>
public sealed class MultiplySplitting(DelayModel? delays = null, double clockMhz = 30) : IIrPass
{
    private readonly DelayModel delays = delays ?? DelayModel.For();

    /// <inheritdoc/>
    public string Name => "multiply splitting";

    /// <inheritdoc/>
    public bool Run(IrFunction function)
    {
        bool changed = false;
        foreach (IrBlock block in function.Blocks)
        {
            for (int i = 0; i < block.Nodes.Count; i++)
            {
                IrNode node = block.Nodes[i];
                if (node.Op != IrOp.Mul || node.Inputs.Any(n => n.Op == IrOp.Const) || delays.Delay(node) <= delays.Period(clockMhz))
                {
                    continue;
                }

                bool firstIsNarrower = node.Inputs[0].Storage.Bits < node.Inputs[1].Storage.Bits;
                IrNode a = firstIsNarrower ? node.Inputs[1] : node.Inputs[0];
                IrNode b = firstIsNarrower ? node.Inputs[0] : node.Inputs[1];
                int bits = b.Storage.Bits;
                if (bits < 2)
                {
                    continue;
                }

                int k = (bits + 1) / 2;
                var added = new List<IrNode>();
                IrNode Add(IrOp op, Storage storage, params IrNode[] inputs)
                {
                    var n = new IrNode(op, node.Type, inputs) { Origin = node.Origin, Storage = storage };
                    added.Add(n);
                    return n;
                }

                IrNode Constant(long value)
                {
                    var n = new IrNode(IrOp.Const, node.Type) { Constant = value, Origin = node.Origin, Storage = Storage.For(value, value) };
                    added.Add(n);
                    return n;
                }

                int aBits = a.Storage.Bits;
                int highBits = bits - k;
                IrNode low = Add(IrOp.And, new Storage(k, false), b, Constant((1L << k) - 1));
                IrNode high = Add(IrOp.Shr, new Storage(highBits, b.Storage.Signed), b, Constant(k));
                bool signedProducts = a.Storage.Signed || b.Storage.Signed;
                IrNode lowProduct = Add(IrOp.Mul, new Storage(Math.Min(node.Type.Bits, aBits + k + (a.Storage.Signed ? 0 : 1)), signedProducts), a, low);
                IrNode highProduct = Add(IrOp.Mul, new Storage(Math.Min(node.Type.Bits, aBits + highBits), signedProducts), a, high);
                IrNode shifted = Add(IrOp.Shl, node.Storage, highProduct, Constant(k));
                IrNode sum = Add(IrOp.Add, node.Storage, lowProduct, shifted);
                block.Nodes.InsertRange(i, added);
                NodeRewriter.Replace(block, new Dictionary<IrNode, IrNode> { [node] = sum });
                block.Nodes.Remove(node);
                changed = true;
                i--; // look at the new nodes again: the halves may still be too slow
            }
        }

        return changed;
    }
}
