using CoDesign.KernelCompiler.Ir;
using CoDesign.KernelCompiler.Signature;

namespace CoDesign.KernelCompiler.Passes;

/// <summary>
/// Splits an internal memory (a <c>stackalloc</c>) into an even and an odd bank when a block reads
/// an even and an odd element of it, as a loop over pairs does (<c>a[2 * i]</c> and <c>a[2 * i + 1]</c>):
/// each bank has its own read port, so both reads fit one cycle. Element <c>k</c> lives in bank
/// <c>k &amp; 1</c> at <c>k &gt;&gt; 1</c>. It applies only when every access's parity is known from
/// its index (a constant, <c>2 * e</c>, <c>e &lt;&lt; 1</c>, or one of those plus or ORed with 1); the
/// banks' sizes keep exactly the indices in range that were. Spans are ports outside the module and
/// are not banked: that would change the module's interface.
/// </summary>
public sealed class MemoryBanking : IIrPass
{
    private static readonly KernelValueType Count = new(32, true);

    /// <inheritdoc/>
    public string Name => "memory banking";

    /// <inheritdoc/>
    public bool Run(IrFunction function)
    {
        bool changed = false;
        foreach (IrMemory memory in function.Memories.Where(m => !m.IsPort && m.Size >= 2).ToList())
        {
            var accesses = function.Blocks.SelectMany(b => b.Nodes.Where(n => n.IsMemoryAccess && n.Memory == memory).Select(n => (Block: b, Node: n))).ToList();
            var parities = new Dictionary<IrNode, int>();
            foreach ((_, IrNode access) in accesses)
            {
                int parity = Parity(access.Inputs[0]);
                if (parity < 0)
                {
                    break;
                }

                parities[access] = parity;
            }

            bool pairedReads = accesses.GroupBy(a => a.Block).Any(g =>
                g.Any(a => a.Node.Op == IrOp.Load && parities.GetValueOrDefault(a.Node, -1) == 0)
                && g.Any(a => a.Node.Op == IrOp.Load && parities.GetValueOrDefault(a.Node, -1) == 1));
            if (parities.Count != accesses.Count || !pairedReads)
            {
                continue;
            }

            IrMemory[] banks =
            [
                Bank(memory, "even", (memory.Size + 1) / 2),
                Bank(memory, "odd", memory.Size / 2),
            ];
            foreach ((IrBlock block, IrNode access) in accesses)
            {
                // The bank index is the original index shifted right: exact for every index in range,
                // and still out of range (negative) for a negative one.
                IrNode index = access.Inputs[0];
                var one = new IrNode(IrOp.Const, Count) { Constant = 1, Origin = access.Origin };
                var half = new IrNode(IrOp.Shr, index.Type, index, one) { Origin = access.Origin };
                block.Nodes.InsertRange(block.Nodes.IndexOf(access), [one, half]);
                access.Inputs[0] = half;
                access.Memory = banks[parities[access]];
            }

            function.Memories.Remove(memory);
            function.Memories.AddRange(banks);
            changed = true;
        }

        return changed;
    }

    private static IrMemory Bank(IrMemory memory, string which, int size) =>
        new($"{memory.Name}_{which}", memory.ElementType, isPort: false, writable: memory.Writable, size) { ElementStorage = memory.ElementStorage };

    /// <summary>0 or 1 when the index's low bit is known from its form; -1 when not (or for a negative constant).</summary>
    private static int Parity(IrNode index)
    {
        if (index.Op == IrOp.Const)
        {
            return index.Constant < 0 ? -1 : (int)(index.Constant & 1);
        }

        if (IsDoubled(index))
        {
            return 0;
        }

        if (index.Op is IrOp.Add or IrOp.Or && index.Inputs.Length == 2)
        {
            (IrNode a, IrNode b) = (index.Inputs[0], index.Inputs[1]);
            if ((IsOne(b) && IsDoubled(a)) || (IsOne(a) && IsDoubled(b)))
            {
                return 1;
            }
        }

        return -1;
    }

    /// <summary><c>e &lt;&lt; 1</c> or <c>e * 2</c>: its low bit is zero, whatever <c>e</c> is.</summary>
    private static bool IsDoubled(IrNode node) => node.Op switch
    {
        IrOp.Shl => IsOne(node.Inputs[1]),
        IrOp.Mul => IsConstant(node.Inputs[1], 2) || IsConstant(node.Inputs[0], 2),
        _ => false,
    };

    private static bool IsOne(IrNode node) => IsConstant(node, 1);

    private static bool IsConstant(IrNode node, long value) => node.Op == IrOp.Const && node.Constant == value;
}
