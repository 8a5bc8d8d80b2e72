using System.Numerics;
using CoDesign.KernelCompiler.Ir;
using CoDesign.KernelCompiler.Signature;

namespace CoDesign.KernelCompiler.Passes;

/// <summary>
/// Replaces costly operations by a constant with cheap ones: <c>x * 2^k</c> becomes a shift,
/// unsigned <c>/ 2^k</c> and <c>% 2^k</c> a shift and a mask, signed ones the same with a rounding
/// bias (C# truncates toward zero), and comparisons with constants that are bit tests in hardware
/// (<c>x &lt; 0</c> is the sign bit, unsigned <c>x &gt;= 2^k</c> is "any bit from k up") into those
/// tests, which need no carry chain. Comparisons a branch tests are left alone: width narrowing reads
/// loop bounds from them.
/// </summary>
public sealed class StrengthReduction : IIrPass
{
    private static readonly KernelValueType Count = new(32, true);

    /// <inheritdoc/>
    public string Name => "strength reduction";

    /// <inheritdoc/>
    public bool Run(IrFunction function)
    {
        bool changed = false;
        foreach (IrBlock block in function.Blocks)
        {
            HashSet<IrNode> tested = BranchTests(block);
            var replacements = new Dictionary<IrNode, IrNode>();
            var nodes = new List<IrNode>(block.Nodes.Count);
            foreach (IrNode node in block.Nodes)
            {
                var added = new List<IrNode>();
                IrNode? reduced = tested.Contains(node) ? null : Reduce(node, added);
                if (reduced is null)
                {
                    nodes.Add(node);
                    continue;
                }

                nodes.AddRange(added);
                replacements[node] = reduced;
                changed = true;
            }

            block.Nodes.Clear();
            block.Nodes.AddRange(nodes);
            NodeRewriter.Replace(block, replacements);
        }

        return changed;
    }

    /// <summary>The branch condition and what it negates: comparisons range analysis refines on.</summary>
    private static HashSet<IrNode> BranchTests(IrBlock block)
    {
        var tested = new HashSet<IrNode>();
        for (IrNode? condition = block.Condition; condition is not null; condition = condition.Op == IrOp.LogicalNot ? condition.Inputs[0] : null)
        {
            tested.Add(condition);
        }

        return tested;
    }

    /// <summary>The cheaper equivalent of <paramref name="node"/>, its new nodes appended to <paramref name="added"/> in order; null when none.</summary>
    private static IrNode? Reduce(IrNode node, List<IrNode> added)
    {
        if (node.Inputs.Length != 2 || node.IsMemoryAccess)
        {
            return null;
        }

        IrNode x = node.Inputs[0];
        IrNode? constant = node.Inputs[1].Op == IrOp.Const ? node.Inputs[1] : null;
        if (node.Op == IrOp.Mul && constant is null && x.Op == IrOp.Const)
        {
            (x, constant) = (node.Inputs[1], x);
        }

        if (constant is null || x.Type.IsBool)
        {
            return null;
        }

        KernelValueType type = x.Type;
        long c = constant.Constant;
        int k = PowerOfTwo(type, c);
        return node.Op switch
        {
            IrOp.Mul when k >= 1 => Add(added, IrOp.Shl, type, node.Origin, x, Const(added, Count, k, node.Origin)),
            IrOp.Div when k >= 1 && !type.Signed => Add(added, IrOp.Shr, type, node.Origin, x, Const(added, Count, k, node.Origin)),
            IrOp.Rem when k >= 1 && !type.Signed => Add(added, IrOp.And, type, node.Origin, x, Const(added, type, c - 1, node.Origin)),
            IrOp.Div or IrOp.Rem when k >= 1 && type.Signed && k < type.Bits - 1 => SignedByPowerOfTwo(node, x, k, added),
            IrOp.Lt or IrOp.Le or IrOp.Gt or IrOp.Ge => Compare(node.Op, x, constant, added, node.Origin),
            _ => null,
        };
    }

    /// <summary>
    /// Signed <c>x / 2^k</c> and <c>x % 2^k</c>: a negative <c>x</c> gets <c>2^k - 1</c> added first,
    /// so the arithmetic shift truncates toward zero as C# does.
    /// </summary>
    private static IrNode SignedByPowerOfTwo(IrNode node, IrNode x, int k, List<IrNode> added)
    {
        KernelValueType type = x.Type;
        string origin = node.Origin;
        IrNode sign = Add(added, IrOp.Shr, type, origin, x, Const(added, Count, type.Bits - 1, origin));
        IrNode bias = Add(added, IrOp.And, type, origin, sign, Const(added, type, (1L << k) - 1, origin));
        IrNode biased = Add(added, IrOp.Add, type, origin, x, bias);
        if (node.Op == IrOp.Div)
        {
            return Add(added, IrOp.Shr, type, origin, biased, Const(added, Count, k, origin));
        }

        IrNode low = Add(added, IrOp.And, type, origin, biased, Const(added, type, (1L << k) - 1, origin));
        return Add(added, IrOp.Sub, type, origin, low, bias);
    }

    /// <summary>
    /// A comparison with a constant as bit tests: signed ones with 0 read the sign bit; unsigned ones
    /// with <c>2^k</c> or <c>2^k - 1</c> read the bits from k up (and the low k bits all ones).
    /// </summary>
    private static IrNode? Compare(IrOp op, IrNode x, IrNode constant, List<IrNode> added, string origin)
    {
        KernelValueType type = x.Type;
        long c = constant.Constant;
        if (type.Signed && c == 0)
        {
            IrNode negative = Add(added, IrOp.Ne, KernelValueType.Bool, origin, Add(added, IrOp.And, type, origin, x, Const(added, type, type.MinValue, origin)), Const(added, type, 0, origin));
            return op switch
            {
                IrOp.Lt => negative,
                IrOp.Ge => Not(added, negative, origin),
                IrOp.Le => Add(added, IrOp.Or, KernelValueType.Bool, origin, negative, Add(added, IrOp.Eq, KernelValueType.Bool, origin, x, Const(added, type, 0, origin))),
                _ => Add(added, IrOp.And, KernelValueType.Bool, origin, Not(added, negative, origin), Add(added, IrOp.Ne, KernelValueType.Bool, origin, x, Const(added, type, 0, origin))),
            };
        }

        if (type.Signed)
        {
            return null;
        }

        // x > c is x >= c + 1 and x <= c is x < c + 1; then only >= and < remain.
        ulong bound = (ulong)c & type.MaxValue;
        if (op is IrOp.Gt or IrOp.Le)
        {
            if (bound == type.MaxValue)
            {
                return null;
            }

            bound++;
            op = op == IrOp.Gt ? IrOp.Ge : IrOp.Lt;
        }

        IrNode? atLeast = AtLeast(x, bound, added, origin);
        return atLeast is null ? null : op == IrOp.Ge ? atLeast : Not(added, atLeast, origin);
    }

    /// <summary>Unsigned <c>x &gt;= bound</c> for <c>bound</c> a power of two or one less (above 1), else null.</summary>
    private static IrNode? AtLeast(IrNode x, ulong bound, List<IrNode> added, string origin)
    {
        KernelValueType type = x.Type;
        if (bound < 2)
        {
            return null;
        }

        bool power = BitOperations.IsPow2(bound);
        if (!power && !BitOperations.IsPow2(bound + 1))
        {
            return null;
        }

        int k = BitOperations.Log2(power ? bound : bound + 1);
        if (k >= type.Bits)
        {
            return null;
        }

        IrNode high = Add(added, IrOp.Ne, KernelValueType.Bool, origin, Add(added, IrOp.Shr, type, origin, x, Const(added, Count, k, origin)), Const(added, type, 0, origin));
        if (power)
        {
            return high;
        }

        IrNode ones = Const(added, type, (long)bound, origin);
        IrNode allOnes = Add(added, IrOp.Eq, KernelValueType.Bool, origin, Add(added, IrOp.And, type, origin, x, ones), ones);
        return Add(added, IrOp.Or, KernelValueType.Bool, origin, high, allOnes);
    }

    /// <summary>k when <paramref name="c"/> is 2^k as a value of <paramref name="type"/> (positive), else -1.</summary>
    private static int PowerOfTwo(KernelValueType type, long c)
    {
        ulong value = (ulong)c & type.MaxValue;
        if (type.Signed && c < 0)
        {
            return -1;
        }

        return value != 0 && BitOperations.IsPow2(value) ? BitOperations.Log2(value) : -1;
    }

    private static IrNode Not(List<IrNode> added, IrNode condition, string origin) => Add(added, IrOp.LogicalNot, KernelValueType.Bool, origin, condition);

    private static IrNode Const(List<IrNode> added, KernelValueType type, long value, string origin)
    {
        var node = new IrNode(IrOp.Const, type) { Constant = type.Normalize(value), Origin = origin };
        added.Add(node);
        return node;
    }

    private static IrNode Add(List<IrNode> added, IrOp op, KernelValueType type, string origin, params IrNode[] inputs)
    {
        var node = new IrNode(op, type, inputs) { Origin = origin };
        added.Add(node);
        return node;
    }
}
