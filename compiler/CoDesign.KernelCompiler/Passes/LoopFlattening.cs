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
/// on; each variable takes a select (none where the next block does not read it), and each memory
/// access is guarded by its side (predicated). The block before H enters the flat loop in its X, H
/// step where it can set the variables so that X gives what H would have found (X only steps its
/// column counter and copies variables, and its test there is that block's own test for entering H);
/// otherwise H stays in front of the loop for the first column.
/// It applies only where the flat loop can start an iteration every cycle: each memory is read at
/// most once and written at most once by L, X and H together (one port each), and a trial modulo
/// schedule of the flat block reaches II=1. That needs whether the next step enters a column to be
/// known within one clock period from registers, so
/// <list type="bullet">
/// <item>the loads it depends on (the column's activation and end) are read a step ahead
/// (<see cref="LoadPrefetch"/>): in the loop pipelined at II=1 the memory's read data is their register;</item>
/// <item>X's test <c>j + 1 &lt; n</c> keeps <c>j + 1</c> in a register of its own (as
/// <see cref="InductionLookahead"/> does for a loop of one block);</item>
/// <item>the trial is at the widths the nest's range analysis gives, and the variables keep those
/// ranges (<see cref="IrVariable.Bounds"/>), which the flat loop's selects would hide from width narrowing.</item>
/// </list>
/// Otherwise the nest stays as it is, which is then faster.
/// </summary>
/// <param name="delays">The delay model of the trial schedule (default: the UP5K's).</param>
/// <param name="clockMhz">The clock of the trial schedule.</param>
/// <param name="addressBits">The span ports' address bits (the range of span lengths).</param>
public sealed class LoopFlattening(DelayModel? delays = null, double clockMhz = 30, int addressBits = 16) : IIrPass
{
    private const int MaxNodes = 128;

    private readonly DelayModel delays = delays ?? DelayModel.For();

    /// <inheritdoc/>
    public string Name => "loop flattening";

    /// <inheritdoc/>
    public bool Run(IrFunction function) =>
        BlockSurgery.RewriteUntilStable(function, BlockSurgery.Predecessors, (inner, predecessors) => TryFlatten(function, inner, predecessors));

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

        // What the nest's variables hold, which the flat loop's selects would hide from width narrowing.
        Dictionary<IrVariable, Interval> ranges = new WidthNarrowing(addressBits).VariableRanges(function);
        var assigned = inner.Assignments.Keys.Union(latch.Assignments.Keys).Union(head.Assignments.Keys).ToList();
        var bounds = assigned.ToDictionary(v => v, v => v.Bounds);
        foreach (IrVariable v in assigned)
        {
            v.Bounds = ranges[v];
        }

        int variables = function.Variables.Count;
        IrVariable mode = new(function.UniqueVariableName($"inner{inner.Id}", "_"), KernelValueType.Bool, IrVariableKind.Local) { Storage = new Storage(1, false) };
        (IrBlock steps, IrVariable? counter, IrVariable? counterNext, IrNode? step, IrNode? amount) = LatchLookahead(function, latch, head, inner, ranges);
        Dictionary<IrBlock, HashSet<IrVariable>> live = Liveness.LiveIn(function);
        IrBlock flat = Build(function, mode, head, inner, steps, exit, live[exit], out IrNode modeRead, out IrNode next);

        // The loads the next step's kind depends on are read a step ahead, so it comes from registers.
        List<IrNode> needed = LoadsBehind(next, modeRead);
        List<(IrVariable Variable, IrNode Address)> ahead = [];
        if (needed.All(load => LoadPrefetch.Applies(function, load)))
        {
            ahead = [.. needed.Select(load => LoadPrefetch.Prefetch(function, flat, load))];

            // The trial is at the widths the nest's ranges give (the whole function is narrowed later).
            WidthNarrowing.NarrowBlock(flat, ranges);
        }

        if (ahead.Count != needed.Count || ModuloScheduler.Schedule(flat, delays, delays.Period(clockMhz), 2) is null)
        {
            function.Variables.RemoveRange(variables, function.Variables.Count - variables);
            foreach ((IrVariable v, Interval? before) in bounds)
            {
                v.Bounds = before;
            }

            return false;
        }

        // Accepted. Where it can, the block before H enters the flat loop in its X, H step, with the
        // variables set so that X gives what H would have found: H then needs no copy in front.
        function.Variables.Add(mode);
        if (counter is not null && EnterThroughLatch(function, live, head, latch, steps, flat, mode, counter, counterNext!, ahead, ranges))
        {
            function.Blocks.RemoveAll(b => b == inner || b == latch || b == head);
            function.Blocks.Add(flat);
            return true;
        }

        // Otherwise H leads into the flat loop, which replaces L and X.
        if (counter is not null)
        {
            // Wherever else the column counter is set, its lookahead is set beside it.
            foreach (IrBlock block in function.Blocks.Where(b => b != latch && b != inner && b.Assignments.ContainsKey(counter)))
            {
                InductionLookahead.SetAhead(block, block.Assignments[counter], step!, amount!, counterNext!);
            }
        }

        foreach ((IrVariable variable, IrNode address) in ahead)
        {
            LoadPrefetch.Fill(head, variable, address);
        }

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

    /// <summary>
    /// Lets the one block P that enters the nest enter the flat loop instead, in its outer mode: the
    /// first step then runs X and H. P sets the variables to a state S whose X gives what H would have
    /// found (I, P's values): X may only step its column counter (through its lookahead: S holds
    /// <c>j_next = j</c>, so X gives <c>j</c> and <c>j_next = j + c</c>) and copy variables
    /// (<c>begin = end</c>: S holds <c>end = begin</c>, when H does not read <c>end</c> before setting it);
    /// every other variable X assigns must be one H does not read before setting. X's test on S must be
    /// P's own test for entering H, and X may not touch memory. False (nothing changed) otherwise.
    /// </summary>
    private static bool EnterThroughLatch(IrFunction function, Dictionary<IrBlock, HashSet<IrVariable>> live, IrBlock head, IrBlock originalLatch, IrBlock latch, IrBlock flat, IrVariable mode, IrVariable counter, IrVariable counterNext, List<(IrVariable Variable, IrNode Address)> ahead, Dictionary<IrVariable, Interval> ranges)
    {
        List<IrBlock> into = [.. function.Blocks.Where(b => b != originalLatch && b.Successors.Contains(head))];
        if (into.Count != 1 || into[0] == head || latch.Nodes.Any(n => n.IsMemoryAccess))
        {
            return false;
        }

        IrBlock entry = into[0];
        HashSet<IrVariable> liveAtHead = live[head];

        // What S must hold: u = I[v] for each copy v := u of X that H needs.
        var copies = new Dictionary<IrVariable, IrVariable>();
        foreach ((IrVariable v, IrNode value) in latch.Assignments)
        {
            if (v == counterNext || (v == counter && value.Op == IrOp.ReadVar && value.Variable == counterNext) || !liveAtHead.Contains(v))
            {
                continue;
            }

            if (value.Op != IrOp.ReadVar || value.Variable is not { } source || source == v || source == counter || source == counterNext
                || latch.Assignments.ContainsKey(source) || liveAtHead.Contains(source) || copies.ContainsKey(source))
            {
                return false;
            }

            copies[source] = v;
        }

        // X's test on S must be P's test for entering H (read the same way, and to the same side).
        bool goesOnWhenTrue = latch.Target == head;
        bool entersWhenTrue = entry.Terminator == IrTerminatorKind.Jump || entry.Target == head;
        IrNode Start(IrVariable v) => BlockSurgery.ValueAtEnd(entry, v == counterNext ? counter : copies.TryGetValue(v, out IrVariable? was) ? was : v);
        if (entry.Terminator != IrTerminatorKind.Branch || goesOnWhenTrue != entersWhenTrue || !new NodeComparison(readsOfFirst: Start).Same(latch.Condition!, entry.Condition!))
        {
            return false;
        }

        IrBlock other = entry.Target == head ? entry.Else! : entry.Target!;
        HashSet<IrVariable> liveAtOther = live[other];
        if (copies.Keys.Any(liveAtOther.Contains))
        {
            return false;
        }

        // S in P: the copies' sources, the lookahead at the counter's value, the outer mode, the first reads.
        var values = copies.ToDictionary(c => c.Key, c => BlockSurgery.ValueAtEnd(entry, c.Value));
        values[counterNext] = BlockSurgery.ValueAtEnd(entry, counter);
        foreach ((IrVariable u, IrNode value) in values)
        {
            entry.Assignments[u] = BlockSurgery.Fit(entry, value, u.Type);
            Interval from = ranges.TryGetValue(u == counterNext ? counter : copies[u], out Interval r) ? r : Interval.Full(u.Type);
            u.Bounds = u.Bounds is { } bounds ? bounds.Union(from) : null;
        }

        var outer = new IrNode(IrOp.Const, KernelValueType.Bool) { Constant = 0, Origin = head.Origin, Storage = new Storage(1, false) };
        entry.Nodes.Add(outer);
        entry.Assignments[mode] = outer;
        foreach ((IrVariable variable, IrNode address) in ahead)
        {
            LoadPrefetch.Fill(entry, variable, address);
        }

        if (entry.Target == head)
        {
            entry.Target = flat;
        }
        else
        {
            entry.Else = flat;
        }

        return true;
    }

    /// <summary>
    /// The latch to flatten: <paramref name="latch"/> itself, or when its test is <c>j + c &lt; n</c> on the
    /// column counter it steps (which no other block of the nest sets), a copy that keeps
    /// <c>j_next = j + c</c> in a register of its own (as <see cref="InductionLookahead"/> does for a loop
    /// of one block), so the flat loop's test is a compare of registers. The copy is not in the function;
    /// the caller sets <c>j_next</c> wherever else <c>j</c> is set once the flat loop is accepted.
    /// </summary>
    private static (IrBlock Latch, IrVariable? Counter, IrVariable? Next, IrNode? Step, IrNode? Amount) LatchLookahead(IrFunction function, IrBlock latch, IrBlock head, IrBlock inner, Dictionary<IrVariable, Interval> ranges)
    {
        if (InductionLookahead.Step(latch) is not (IrVariable counter, IrNode step, IrNode amount) || counter.Kind != IrVariableKind.Local
            || head.Assignments.ContainsKey(counter) || inner.Assignments.ContainsKey(counter))
        {
            return (latch, null, null, null, null);
        }

        IrBlock copy = BlockSurgery.Clone(latch, function);
        function.Blocks.Remove(copy);
        int index = latch.Nodes.IndexOf(step);
        step = copy.Nodes[index];
        amount = copy.Nodes[latch.Nodes.IndexOf(amount)];
        Interval range = ranges[counter];
        Int128 by = Interval.ValueOf(amount.Constant, amount.Type);
        IrVariable next = function.AddLocal(counter.Name + "_next", counter.Type, counter.Storage);
        next.Bounds = new Interval(range.Low + by, range.High + by).In(counter.Type);
        InductionLookahead.StepAhead(copy, counter, step, amount, next);
        return (copy, counter, next, step, amount);
    }

    private static bool IsPair(IrBlock block, IrBlock a, IrBlock b) =>
        (block.Target == a && block.Else == b) || (block.Target == b && block.Else == a);

    /// <summary>The flat loop's block: L's, X's and H's operations, guarded by their side, and the selects.</summary>
    private static IrBlock Build(IrFunction function, IrVariable mode, IrBlock head, IrBlock inner, IrBlock latch, IrBlock exit, HashSet<IrVariable> liveAtExit, out IrNode modeRead, out IrNode next)
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
            // Past the last column the loop leaves: a variable the exit does not read needs no select there.
            IrNode whenOuter = !head.Assignments.TryGetValue(v, out IrNode? c) ? afterLatch
                : !liveAtExit.Contains(v) ? headMap[c]
                : Add(new IrNode(IrOp.Select, v.Type, goesOn, BlockSurgery.Fit(flat, headMap[c], v.Type), BlockSurgery.Fit(flat, afterLatch, v.Type)) { Origin = head.Origin });
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
                Speculative = node.Speculative,
                Origin = node.Origin,
                Storage = node.Storage,
            };
            if (copy.IsMemoryAccess)
            {
                BlockSurgery.Predicate(flat, copy, guard);
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

    /// <summary>The loads of the same iteration <paramref name="node"/>'s value needs (other than through <paramref name="stop"/>'s register).</summary>
    private static List<IrNode> LoadsBehind(IrNode node, IrNode stop)
    {
        var loads = new List<IrNode>();
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
                loads.Add(n);
                continue;
            }

            foreach (IrNode input in n.Inputs)
            {
                pending.Push(input);
            }
        }

        return loads;
    }
}
