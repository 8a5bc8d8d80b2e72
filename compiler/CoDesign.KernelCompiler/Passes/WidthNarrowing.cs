using CoDesign.KernelCompiler.Ir;
using CoDesign.KernelCompiler.Signature;

namespace CoDesign.KernelCompiler.Passes;

/// <summary>
/// Gives every value, register and internal memory the fewest bits that hold it: a range analysis
/// over the control-flow graph (with branch conditions narrowing the variables they test, so a loop
/// counter below 16 is 5 bits) finds each value's interval, and the storage becomes the smallest
/// two's-complement or unsigned vector of it. Arithmetic that may wrap keeps its C# width.
/// </summary>
public sealed class WidthNarrowing(int addressBits) : IIrPass
{
    private const int WidenAfterVisits = 4;

    /// <inheritdoc/>
    public string Name => "width narrowing";

    /// <inheritdoc/>
    public bool Run(IrFunction function)
    {
        var ranges = new Dictionary<IrNode, Interval>();
        Dictionary<IrMemory, Interval> memoryRanges = EmptyMemories(function);
        Dictionary<IrVariable, Interval> variableRanges = VariableRanges(function, ranges, memoryRanges);
        bool changed = false;
        foreach (IrVariable v in function.Variables)
        {
            changed |= Assign(v, Storage.For(variableRanges[v].Low, variableRanges[v].High));
        }

        foreach (IrMemory memory in function.Memories.Where(m => !m.IsPort))
        {
            Storage storage = Storage.For(memoryRanges[memory].Low, memoryRanges[memory].High);
            changed |= memory.ElementStorage != storage;
            memory.ElementStorage = storage;
        }

        foreach (IrNode node in function.Blocks.SelectMany(b => b.Nodes))
        {
            Storage storage = node.Op switch
            {
                IrOp.ReadVar => node.Variable!.Storage,
                IrOp.Load => node.Memory!.IsPort ? new Storage(node.Memory.ElementType.Bits, node.Memory.ElementType.Signed) : node.Memory.ElementStorage,
                _ => ranges.TryGetValue(node, out Interval r) ? Storage.For(r.Low, r.High) : new Storage(node.Type.Bits, node.Type.Signed),
            };
            changed |= node.Storage != storage;
            node.Storage = storage;
        }

        return changed;
    }

    /// <summary>The internal memories as the analysis starts them: nothing stored yet (they start at 0).</summary>
    private static Dictionary<IrMemory, Interval> EmptyMemories(IrFunction function) =>
        function.Memories.Where(m => !m.IsPort).ToDictionary(m => m, _ => Interval.Of(0));

    /// <summary>Every value each node of <paramref name="function"/> can compute, from the range analysis (no entry: never reached).</summary>
    internal Dictionary<IrNode, Interval> NodeRanges(IrFunction function)
    {
        var ranges = new Dictionary<IrNode, Interval>();
        Analyze(function, ranges, EmptyMemories(function));
        return ranges;
    }

    /// <summary>Every value each variable of <paramref name="function"/> can hold, from the range analysis.</summary>
    internal Dictionary<IrVariable, Interval> VariableRanges(IrFunction function) =>
        VariableRanges(function, [], EmptyMemories(function));

    private Dictionary<IrVariable, Interval> VariableRanges(IrFunction function, Dictionary<IrNode, Interval> ranges, Dictionary<IrMemory, Interval> memoryRanges)
    {
        Analyze(function, ranges, memoryRanges);
        var variableRanges = new Dictionary<IrVariable, Interval>();
        foreach (IrVariable v in function.Variables)
        {
            Interval? range = v.Kind switch
            {
                IrVariableKind.Parameter => Inputs(function, v),
                IrVariableKind.SpanLength => new Interval(0, Int128.One << addressBits),
                _ => null,
            };
            foreach (IrBlock block in function.Blocks)
            {
                if (block.Assignments.TryGetValue(v, out IrNode? node) && ranges.TryGetValue(node, out Interval r))
                {
                    range = range?.Union(r) ?? r;
                }
            }

            variableRanges[v] = (range ?? Interval.Of(0)).Intersect(v.Bounds);
        }

        return variableRanges;
    }

    /// <summary>
    /// Narrows the nodes of <paramref name="block"/> alone, its variables holding what
    /// <paramref name="known"/> or their <see cref="IrVariable.Bounds"/> (else their type) allow: a
    /// trial schedule's view of a block before the whole function is narrowed.
    /// </summary>
    internal static void NarrowBlock(IrBlock block, IReadOnlyDictionary<IrVariable, Interval> known)
    {
        var state = new Dictionary<IrVariable, Interval>();
        var ranges = new Dictionary<IrNode, Interval>();
        Dictionary<IrMemory, Interval> memories = block.Nodes.Where(n => n.Memory is { IsPort: false }).Select(n => n.Memory!).Distinct().ToDictionary(m => m, m => Interval.Full(m.ElementType));
        foreach (IrNode node in block.Nodes)
        {
            if (node.Op == IrOp.ReadVar)
            {
                IrVariable v = node.Variable!;
                state[v] = (known.TryGetValue(v, out Interval r) ? r : Interval.Full(v.Type)).Intersect(v.Bounds);
            }

            Interval range = Transfer(node, state, ranges, memories);
            ranges[node] = range;
            if (node.Op is not (IrOp.Store or IrOp.Load))
            {
                node.Storage = Storage.For(range.Low, range.High);
            }
        }
    }

    /// <summary>What a parameter's port may bring: its range contract, else everything its type holds.</summary>
    private static Interval Inputs(IrFunction function, IrVariable parameter)
    {
        KernelParameter? contracted = function.Signature.Parameters.FirstOrDefault(p => p.Range is not null && function.ParameterBindings.GetValueOrDefault(p.Name) == parameter);
        return contracted?.Range is (long low, long high) ? new Interval(low, high) : Interval.Full(parameter.Type);
    }

    private static bool Assign(IrVariable v, Storage storage)
    {
        // Ports keep their C# widths; the register behind them may be narrower.
        bool changed = v.Storage != storage;
        v.Storage = storage;
        return changed;
    }

    /// <summary>Fills <paramref name="ranges"/> (every node's interval) and <paramref name="memoryRanges"/> at the fixed point.</summary>
    private void Analyze(IrFunction function, Dictionary<IrNode, Interval> ranges, Dictionary<IrMemory, Interval> memoryRanges)
    {
        var entry = new Dictionary<IrBlock, Dictionary<IrVariable, Interval>>();
        var visits = new Dictionary<IrBlock, int>();
        var start = new Dictionary<IrVariable, Interval>();
        foreach (IrVariable v in function.Variables)
        {
            if (v.Kind == IrVariableKind.Parameter)
            {
                start[v] = Inputs(function, v);
            }
            else if (v.Kind == IrVariableKind.SpanLength)
            {
                start[v] = new Interval(0, Int128.One << addressBits);
            }
        }

        entry[function.Entry] = start;
        var work = new Queue<IrBlock>([function.Entry]);
        var queued = new HashSet<IrBlock>([function.Entry]);
        bool memoriesGrew = true;
        while (work.Count > 0 || memoriesGrew)
        {
            if (work.Count == 0)
            {
                // A wider internal memory changes its loads everywhere: go round once more.
                memoriesGrew = false;
                foreach (IrBlock b in entry.Keys)
                {
                    work.Enqueue(b);
                    queued.Add(b);
                }

                continue;
            }

            IrBlock block = work.Dequeue();
            queued.Remove(block);
            Dictionary<IrVariable, Interval> state = entry[block];
            Dictionary<IrNode, Interval> addresses = Addresses(block);
            foreach (IrNode node in block.Nodes)
            {
                Interval range = Transfer(node, state, ranges, memoryRanges);
                ranges[node] = addresses.TryGetValue(node, out Interval index) ? range.Intersect(index) : range;
                if (node.Op == IrOp.Store && !node.Memory!.IsPort)
                {
                    Interval stored = ranges[node.Inputs[1]].In(node.Memory.ElementType);
                    Interval before = memoryRanges[node.Memory];
                    Interval after = before.Union(stored);
                    if (after != before)
                    {
                        memoryRanges[node.Memory] = Widen(before, after, node.Memory.ElementType);
                        memoriesGrew = true;
                    }
                }
            }

            var exit = new Dictionary<IrVariable, Interval>(state);
            foreach ((IrVariable v, IrNode n) in block.Assignments)
            {
                exit[v] = ranges[n].In(v.Type).Intersect(v.Bounds);
            }

            foreach ((IrBlock next, bool? taken) in Edges(block))
            {
                Dictionary<IrVariable, Interval>? incoming = taken is null ? exit : Refine(block, exit, ranges, taken.Value);
                if (incoming is not null && Merge(entry, visits, next, incoming))
                {
                    if (queued.Add(next))
                    {
                        work.Enqueue(next);
                    }
                }
            }
        }

    }

    /// <summary>
    /// The variable reads of <paramref name="block"/> that index a memory in every pass through it (an
    /// access with no guard, not run ahead), with the indices the memory has: a kernel does not index
    /// outside a span (C# would throw, and the subset has no exceptions), so a byte pointer that only
    /// ever reads a span is bounded by the span, not by its <c>int</c>.
    /// </summary>
    private Dictionary<IrNode, Interval> Addresses(IrBlock block)
    {
        var addresses = new Dictionary<IrNode, Interval>();
        foreach (IrNode access in block.Nodes.Where(n => n.IsMemoryAccess && n.Guard is null && !n.Speculative && n.Inputs[0].Op == IrOp.ReadVar))
        {
            Int128 size = access.Memory!.IsPort ? Int128.One << addressBits : access.Memory.Size;
            var index = new Interval(0, size - 1);
            addresses[access.Inputs[0]] = addresses.TryGetValue(access.Inputs[0], out Interval other) ? other.Intersect(index) : index;
        }

        return addresses;
    }

    private static IEnumerable<(IrBlock Next, bool? Taken)> Edges(IrBlock block)
    {
        if (block.Terminator == IrTerminatorKind.Jump)
        {
            yield return (block.Target!, null);
        }
        else if (block.Terminator == IrTerminatorKind.Branch)
        {
            yield return (block.Target!, true);
            yield return (block.Else!, false);
        }
    }

    /// <summary>Joins <paramref name="incoming"/> into <paramref name="block"/>'s entry state; true when it grew.</summary>
    private static bool Merge(Dictionary<IrBlock, Dictionary<IrVariable, Interval>> entry, Dictionary<IrBlock, int> visits, IrBlock block, Dictionary<IrVariable, Interval> incoming)
    {
        if (!entry.TryGetValue(block, out Dictionary<IrVariable, Interval>? state))
        {
            entry[block] = new Dictionary<IrVariable, Interval>(incoming);
            return true;
        }

        int visit = visits[block] = visits.GetValueOrDefault(block) + 1;
        bool grew = false;
        foreach ((IrVariable v, Interval range) in incoming)
        {
            if (!state.TryGetValue(v, out Interval old))
            {
                state[v] = range;
                grew = true;
            }
            else if (!range.Within(old))
            {
                Interval joined = old.Union(range);
                state[v] = visit > WidenAfterVisits ? Widen(old, joined, v.Type) : joined;
                grew = true;
            }
        }

        return grew;
    }

    /// <summary>Jumps a growing end to the next power-of-two boundary, so loops converge in few rounds.</summary>
    private static Interval Widen(Interval old, Interval joined, KernelValueType type)
    {
        Interval full = Interval.Full(type);
        Int128 high = joined.High;
        if (high > old.High)
        {
            Int128 bound = 1;
            while (bound - 1 < high)
            {
                bound <<= 1;
            }

            high = Int128.Min(bound - 1, full.High);
        }

        Int128 low = joined.Low;
        if (low < old.Low)
        {
            Int128 bound = -1;
            while (bound > low)
            {
                bound <<= 1;
            }

            low = Int128.Max(bound, full.Low);
        }

        return new Interval(low, high);
    }

    /// <summary>
    /// The exit state along one edge of a branch, with the tested variable narrowed; null when no
    /// value the variable can hold there takes the edge (it is not taken, so far: a later round with a
    /// wider state tries again).
    /// </summary>
    private static Dictionary<IrVariable, Interval>? Refine(IrBlock block, Dictionary<IrVariable, Interval> exit, Dictionary<IrNode, Interval> ranges, bool taken)
    {
        IrNode condition = block.Condition!;
        while (condition.Op == IrOp.LogicalNot)
        {
            condition = condition.Inputs[0];
            taken = !taken;
        }

        if (condition.Op is not (IrOp.Lt or IrOp.Le or IrOp.Gt or IrOp.Ge or IrOp.Eq or IrOp.Ne))
        {
            return exit;
        }

        var refined = new Dictionary<IrVariable, Interval>(exit);
        IrOp op = taken ? condition.Op : Negate(condition.Op);
        bool feasible = Narrow(block, refined, ranges, condition.Inputs[0], op, ranges[condition.Inputs[1]])
            & Narrow(block, refined, ranges, condition.Inputs[1], Swap(op), ranges[condition.Inputs[0]]);
        return feasible ? refined : null;
    }

    /// <summary>
    /// Narrows the variables behind <paramref name="tested"/>: those whose value after the block is the
    /// tested node, the variable it reads when the block leaves it alone, and a loop counter tested
    /// before the block steps it by a constant (<c>i &lt; n</c> with <c>i += 1</c>: after the block it is
    /// at most <c>n</c>). False when no value one of them can hold passes the test.
    /// </summary>
    private static bool Narrow(IrBlock block, Dictionary<IrVariable, Interval> state, Dictionary<IrNode, Interval> ranges, IrNode tested, IrOp op, Interval other)
    {
        var targets = new List<(IrVariable Variable, Interval Range, Int128 Step)>();
        foreach ((IrVariable v, IrNode value) in block.Assignments)
        {
            if (value == tested && v.Type == tested.Type && state.TryGetValue(v, out Interval range))
            {
                targets.Add((v, range, 0));
            }
        }

        if (tested.Op == IrOp.ReadVar && tested.Variable!.Type == tested.Type && state.TryGetValue(tested.Variable, out Interval exit))
        {
            IrVariable read = tested.Variable;
            if (!block.Assignments.TryGetValue(read, out IrNode? stepped))
            {
                targets.Add((read, exit, 0));
            }
            else if (stepped.Op == IrOp.Add && stepped.Type == tested.Type
                && stepped.Inputs.Count(i => i.Op == IrOp.ReadVar && i.Variable == read) == 1
                && stepped.Inputs.FirstOrDefault(i => i.Op == IrOp.Const) is { } amount)
            {
                targets.Add((read, ranges[tested], Interval.ValueOf(amount.Constant, amount.Type)));
            }
        }

        foreach ((IrVariable variable, Interval range, Int128 step) in targets)
        {
            Interval narrowed = op switch
            {
                IrOp.Lt => new Interval(range.Low, Int128.Min(range.High, other.High - 1)),
                IrOp.Le => new Interval(range.Low, Int128.Min(range.High, other.High)),
                IrOp.Gt => new Interval(Int128.Max(range.Low, other.Low + 1), range.High),
                IrOp.Ge => new Interval(Int128.Max(range.Low, other.Low), range.High),
                IrOp.Eq => new Interval(Int128.Max(range.Low, other.Low), Int128.Min(range.High, other.High)),
                _ => range,
            };
            if (narrowed.Low > narrowed.High)
            {
                return false;
            }

            state[variable] = step == 0 ? narrowed : new Interval(narrowed.Low + step, narrowed.High + step).In(variable.Type).Intersect(state[variable]);
        }

        return true;
    }

    private static IrOp Negate(IrOp op) => op switch
    {
        IrOp.Lt => IrOp.Ge,
        IrOp.Le => IrOp.Gt,
        IrOp.Gt => IrOp.Le,
        IrOp.Ge => IrOp.Lt,
        IrOp.Eq => IrOp.Ne,
        _ => IrOp.Eq,
    };

    private static IrOp Swap(IrOp op) => op switch
    {
        IrOp.Lt => IrOp.Gt,
        IrOp.Le => IrOp.Ge,
        IrOp.Gt => IrOp.Lt,
        IrOp.Ge => IrOp.Le,
        _ => op,
    };

    private static Interval Transfer(IrNode node, Dictionary<IrVariable, Interval> state, Dictionary<IrNode, Interval> ranges, Dictionary<IrMemory, Interval> memoryRanges)
    {
        KernelValueType type = node.Type;
        Interval full = Interval.Full(type);
        Interval A(int i) => ranges[node.Inputs[i]];
        switch (node.Op)
        {
            case IrOp.Const:
                return Interval.Of(Interval.ValueOf(node.Constant, type));
            case IrOp.ReadVar:
                return state.TryGetValue(node.Variable!, out Interval v) ? v : Interval.Full(node.Variable!.Type);
            case IrOp.Load:
                return node.Memory!.IsPort ? Interval.Full(node.Memory.ElementType) : memoryRanges[node.Memory];
            case IrOp.Store:
                return Interval.Of(0);
            case IrOp.Eq or IrOp.Ne or IrOp.Lt or IrOp.Le or IrOp.Gt or IrOp.Ge or IrOp.LogicalNot:
                return new Interval(0, 1);
            case IrOp.PopCount:
                return new Interval(0, node.Inputs[0].Type.Bits);
            case IrOp.Convert:
                return A(0).In(type);
            case IrOp.Select:
                return A(1).Union(A(2));
            case IrOp.Add:
                return new Interval(A(0).Low + A(1).Low, A(0).High + A(1).High).In(type);
            case IrOp.Sub:
                return new Interval(A(0).Low - A(1).High, A(0).High - A(1).Low).In(type);
            case IrOp.Neg:
                return new Interval(-A(0).High, -A(0).Low).In(type);
            case IrOp.Not:
                return type.Signed ? new Interval(-A(0).High - 1, -A(0).Low - 1) : new Interval(full.High - A(0).High, full.High - A(0).Low);
            case IrOp.Mul:
                {
                    Int128[] corners = [A(0).Low * A(1).Low, A(0).Low * A(1).High, A(0).High * A(1).Low, A(0).High * A(1).High];
                    return new Interval(corners.Min(), corners.Max()).In(type);
                }

            case IrOp.Div:
                {
                    Int128 m = A(0).MaxMagnitude;
                    return (A(0).NonNegative && A(1).NonNegative ? new Interval(0, m) : new Interval(-m, m)).In(type);
                }

            case IrOp.Rem:
                {
                    Int128 m = Int128.Min(A(0).MaxMagnitude, Int128.Max(A(1).MaxMagnitude - 1, 0));
                    return (A(0).NonNegative ? new Interval(0, m) : new Interval(-m, m)).In(type);
                }

            case IrOp.And:
                if (A(0).NonNegative || A(1).NonNegative)
                {
                    Int128 high = A(0).NonNegative && A(1).NonNegative ? Int128.Min(A(0).High, A(1).High) : A(0).NonNegative ? A(0).High : A(1).High;
                    return new Interval(0, high);
                }

                return SignedSpan(Math.Max(A(0).SignedBits, A(1).SignedBits)).In(type);
            case IrOp.Or or IrOp.Xor:
                if (A(0).NonNegative && A(1).NonNegative)
                {
                    Int128 bound = 1;
                    while (bound - 1 < Int128.Max(A(0).High, A(1).High))
                    {
                        bound <<= 1;
                    }

                    return new Interval(0, bound - 1).In(type);
                }

                return SignedSpan(Math.Max(A(0).SignedBits, A(1).SignedBits)).In(type);
            case IrOp.Shl:
                {
                    (int low, int high) = Counts(node, A(1));
                    if (A(0).NonNegative && high < type.Bits)
                    {
                        return new Interval(A(0).Low << low, A(0).High << high).In(type);
                    }

                    return low == high ? new Interval(Int128.Min(A(0).Low << low, 0), Int128.Max(A(0).High << low, 0)).In(type) : full;
                }

            case IrOp.Shr:
                {
                    (int low, int _) = Counts(node, A(1));
                    Interval a = A(0);
                    return a.NonNegative ? new Interval(0, a.High >> low) : new Interval(Int128.Min(a.Low >> low, 0), Int128.Max(a.High, 0) >> low);
                }

            default:
                return full;
        }
    }

    /// <summary>The shift counts after C#'s masking, when the count's range survives the mask; else 0..width-1.</summary>
    private static (int Low, int High) Counts(IrNode shift, Interval count)
    {
        int mask = shift.Type.Bits - 1;
        return count.Low >= 0 && count.High <= mask ? ((int)count.Low, (int)count.High) : (0, mask);
    }

    private static Interval SignedSpan(int bits) => new(-(Int128.One << (bits - 1)), (Int128.One << (bits - 1)) - 1);
}
