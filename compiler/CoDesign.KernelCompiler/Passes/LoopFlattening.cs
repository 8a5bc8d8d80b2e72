using CoDesign.KernelCompiler.Ir;
using CoDesign.KernelCompiler.Scheduling;
using CoDesign.KernelCompiler.Signature;

namespace CoDesign.KernelCompiler.Passes;

/// <summary>
/// Flattens a loop nest whose inner loop has a variable bound (a CCS column loop around its entry
/// loop) into one loop of one block, which the modulo scheduler can pipeline. The nest it takes:
/// a head H that branches into the inner loop L (one block that loops on itself) or past it to the
/// latch X, and X, reached only from H and L, that goes back to H or leaves to E. Every run of the
/// nest is H, then a sequence of steps that are each an iteration of L or the pair X, H; the
/// flattened loop does one such step per iteration. A bool register (<c>innerN</c>) says which:
/// L's operations happen when it is set, X's when it is clear, and H's when it is clear and X goes
/// on; each variable takes a select, and each memory access is guarded by its side (predicated).
/// H stays in front of the loop for the first column.
/// It applies only where the flat loop can start an iteration every cycle: each memory is read at
/// most once and written at most once by L, X and H together (one port each), and a trial modulo
/// schedule of the flat block (at the C# widths, before narrowing, so on the safe side) reaches
/// II=1. That needs every variable carried round the flat loop, the inner/outer bit included, to
/// be computed within one clock period from registers: whether the next step enters a column may
/// not depend on data read in that step. Otherwise the nest stays as it is, which is then faster.
/// </summary>
/// <param name="delays">The delay model of the trial schedule (default: the UP5K's).</param>
/// <param name="clockMhz">The clock of the trial schedule.</param>
public sealed class LoopFlattening(DelayModel? delays = null, double clockMhz = 30) : IIrPass
{
    private const int MaxNodes = 128;

    private readonly DelayModel delays = delays ?? DelayModel.For();

    /// <inheritdoc/>
    public string Name => "loop flattening";

    /// <inheritdoc/>
    public bool Run(IrFunction function)
    {
        bool changed = false;
        bool again = true;
        while (again)
        {
            again = false;
            Dictionary<IrBlock, List<IrBlock>> predecessors = Predecessors(function);
            foreach (IrBlock inner in function.Blocks)
            {
                if (TryFlatten(function, inner, predecessors))
                {
                    again = changed = true;
                    break;
                }
            }
        }

        return changed;
    }

    private static Dictionary<IrBlock, List<IrBlock>> Predecessors(IrFunction function)
    {
        var predecessors = function.Blocks.ToDictionary(b => b, _ => new List<IrBlock>());
        foreach (IrBlock block in function.Blocks)
        {
            foreach (IrBlock next in block.Successors)
            {
                predecessors[next].Add(block);
            }
        }

        return predecessors;
    }

    private bool TryFlatten(IrFunction function, IrBlock inner, Dictionary<IrBlock, List<IrBlock>> predecessors)
    {
        if (!ModuloScheduler.IsLoop(inner))
        {
            return false;
        }

        IrBlock latch = inner.Target == inner ? inner.Else! : inner.Target!;
        List<IrBlock> intoInner = [.. predecessors[inner].Where(p => p != inner)];
        if (intoInner.Count != 1 || latch == inner)
        {
            return false;
        }

        IrBlock head = intoInner[0];
        if (head == latch || head.Terminator != IrTerminatorKind.Branch || !IsPair(head, inner, latch)
            || latch.Terminator != IrTerminatorKind.Branch || (latch.Target != head && latch.Else != head))
        {
            return false;
        }

        IrBlock exit = latch.Target == head ? latch.Else! : latch.Target!;
        if (exit == head || exit == inner || exit == latch
            || predecessors[latch].Count != 2 || !predecessors[latch].Contains(head) || !predecessors[latch].Contains(inner)
            || inner.Nodes.Count + latch.Nodes.Count + head.Nodes.Count > MaxNodes)
        {
            return false;
        }

        IEnumerable<IrNode> accesses = inner.Nodes.Concat(latch.Nodes).Concat(head.Nodes).Where(n => n.IsMemoryAccess);
        if (accesses.GroupBy(n => (n.Memory, n.Op)).Any(g => g.Count() > 1))
        {
            return false;
        }

        IrVariable mode = new(function.UniqueVariableName($"inner{inner.Id}", "_"), KernelValueType.Bool, IrVariableKind.Local) { Storage = new Storage(1, false) };
        IrBlock flat = Build(function, mode, head, inner, latch, exit, out IrNode modeRead, out IrNode next);
        if (DependsOnLoad(next, modeRead) || ModuloScheduler.Schedule(flat, delays, delays.Period(clockMhz), 2) is null)
        {
            return false;
        }

        // Accepted: H leads into the flat loop, which replaces L and X.
        function.Variables.Add(mode);
        IrNode enter = Side(head, head.Condition!, head.Target == inner);
        head.Assignments[mode] = enter;
        head.Terminator = IrTerminatorKind.Jump;
        head.Target = flat;
        head.Condition = null;
        head.Else = null;
        function.Blocks.RemoveAll(b => b == inner || b == latch);
        function.Blocks.Add(flat);
        return true;
    }

    private static bool IsPair(IrBlock block, IrBlock a, IrBlock b) =>
        (block.Target == a && block.Else == b) || (block.Target == b && block.Else == a);


    /// <summary>The flat loop's block: L's, X's and H's operations, guarded by their side, and the selects.</summary>
    private static IrBlock Build(IrFunction function, IrVariable mode, IrBlock head, IrBlock inner, IrBlock latch, IrBlock exit, out IrNode modeRead, out IrNode next)
    {
        var flat = new IrBlock(function.Blocks.Count) { Origin = inner.Origin };
        var reads = new Dictionary<IrVariable, IrNode>();
        IrNode Read(IrVariable v)
        {
            if (!reads.TryGetValue(v, out IrNode? read))
            {
                read = new IrNode(IrOp.ReadVar, v.Type) { Variable = v, Storage = v.Storage, Origin = v.Name };
                reads[v] = read;
                flat.Nodes.Add(read);
            }

            return read;
        }

        IrNode Add(IrNode node)
        {
            flat.Nodes.Add(node);
            return node;
        }

        modeRead = Read(mode);
        IrNode outer = Add(new IrNode(IrOp.LogicalNot, KernelValueType.Bool, modeRead) { Origin = inner.Origin });

        Dictionary<IrNode, IrNode> innerMap = Copy(flat, inner, modeRead, Read, _ => null);
        Dictionary<IrNode, IrNode> latchMap = Copy(flat, latch, outer, Read, _ => null);
        IrNode goesOn = Side(flat, latchMap[latch.Condition!], latch.Target == head);
        IrNode headGuard = Add(new IrNode(IrOp.And, KernelValueType.Bool, outer, goesOn) { Origin = head.Origin });
        Dictionary<IrNode, IrNode> headMap = Copy(flat, head, headGuard, Read, v => latch.Assignments.TryGetValue(v, out IrNode? value) ? latchMap[value] : null);
        IrNode stays = Side(flat, innerMap[inner.Condition!], inner.Target == inner);
        IrNode enters = Side(flat, headMap[head.Condition!], head.Target == inner);

        foreach (IrVariable v in inner.Assignments.Keys.Union(latch.Assignments.Keys).Union(head.Assignments.Keys).ToList())
        {
            IrNode whenInner = inner.Assignments.TryGetValue(v, out IrNode? a) ? innerMap[a] : Read(v);
            IrNode afterLatch = latch.Assignments.TryGetValue(v, out IrNode? b) ? latchMap[b] : Read(v);
            IrNode whenOuter = head.Assignments.TryGetValue(v, out IrNode? c)
                ? Add(new IrNode(IrOp.Select, v.Type, goesOn, BlockSurgery.Fit(flat, headMap[c], v.Type), BlockSurgery.Fit(flat, afterLatch, v.Type)) { Origin = head.Origin })
                : afterLatch;
            flat.Assignments[v] = Add(new IrNode(IrOp.Select, v.Type, modeRead, BlockSurgery.Fit(flat, whenInner, v.Type), BlockSurgery.Fit(flat, whenOuter, v.Type)) { Origin = inner.Origin });
        }

        IrNode entersNext = Add(new IrNode(IrOp.And, KernelValueType.Bool, goesOn, enters) { Origin = head.Origin });
        next = Add(new IrNode(IrOp.Select, KernelValueType.Bool, modeRead, stays, entersNext) { Origin = inner.Origin });
        flat.Assignments[mode] = next;
        flat.Terminator = IrTerminatorKind.Branch;
        flat.Condition = Add(new IrNode(IrOp.Or, KernelValueType.Bool, modeRead, goesOn) { Origin = latch.Origin });
        flat.Target = flat;
        flat.Else = exit;
        return flat;
    }

    /// <summary>
    /// Copies <paramref name="block"/>'s operations into <paramref name="flat"/>: a variable read becomes
    /// <paramref name="substitute"/>'s value when it gives one, else the flat block's read; each memory
    /// access is guarded by <paramref name="guard"/> (ANDed with a guard it already has).
    /// </summary>
    private static Dictionary<IrNode, IrNode> Copy(IrBlock flat, IrBlock block, IrNode guard, Func<IrVariable, IrNode> read, Func<IrVariable, IrNode?> substitute)
    {
        var map = new Dictionary<IrNode, IrNode>();
        foreach (IrNode node in block.Nodes)
        {
            if (node.Op == IrOp.ReadVar)
            {
                map[node] = substitute(node.Variable!) is { } value ? BlockSurgery.Fit(flat, value, node.Type) : read(node.Variable!);
                continue;
            }

            var copy = new IrNode(node.Op, node.Type, [.. node.Inputs.Select(i => map[i])])
            {
                Constant = node.Constant,
                Memory = node.Memory,
                Origin = node.Origin,
                Storage = node.Storage,
            };
            if (copy.IsMemoryAccess)
            {
                IrNode both = guard;
                if (copy.Guard is { } own)
                {
                    both = new IrNode(IrOp.And, KernelValueType.Bool, guard, own) { Origin = node.Origin };
                    flat.Nodes.Add(both);
                }

                copy.SetGuard(both);
            }

            flat.Nodes.Add(copy);
            map[node] = copy;
        }

        return map;
    }

    /// <summary>The bool that is true when the branch on <paramref name="condition"/> takes the wanted side.</summary>
    private static IrNode Side(IrBlock block, IrNode condition, bool whenTrue)
    {
        if (whenTrue)
        {
            return condition;
        }

        var negated = new IrNode(IrOp.LogicalNot, KernelValueType.Bool, condition) { Origin = condition.Origin };
        block.Nodes.Add(negated);
        return negated;
    }

    /// <summary>True when <paramref name="node"/>'s value needs a load of the same iteration (other than through <paramref name="stop"/>'s register).</summary>
    private static bool DependsOnLoad(IrNode node, IrNode stop)
    {
        var seen = new HashSet<IrNode>();
        var pending = new Stack<IrNode>([node]);
        while (pending.Count > 0)
        {
            IrNode n = pending.Pop();
            if (n == stop || !seen.Add(n))
            {
                continue;
            }

            if (n.Op == IrOp.Load)
            {
                return true;
            }

            foreach (IrNode input in n.Inputs)
            {
                pending.Push(input);
            }
        }

        return false;
    }
}
