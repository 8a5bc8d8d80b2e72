using CoDesign.KernelCompiler.Ir;
using CoDesign.KernelCompiler.Scheduling;
using CoDesign.KernelCompiler.Signature;

namespace CoDesign.KernelCompiler.Passes;

/// <summary>
/// Takes a state off each pass through a small test block that a branch leads to, such as an inner
/// loop's test after the outer loop's (tail duplication does this after a jump; a branch has two ways
/// out, so the test cannot simply be appended). The block that branches computes the test as well,
/// from the values it leaves, and sets a flag; a new decision block branches on that flag and takes no
/// cycle, because the state machine goes from the branching block's last cycle straight to where the
/// test leads (a three-way choice of the next state). The test block's own assignments move along when
/// nothing on the branch's other way reads them.
/// </summary>
/// <remarks>
/// Runs once, after the other passes and width narrowing (they would merge the decision back into a
/// block of its own), and keeps a threading only when the branching block takes no more steps for it
/// at the clock (a compare chained after the block's last values must still fit its last cycle) and
/// the decision settles early enough to leave the next-state logic its time (<see cref="SettlesInTime"/>).
/// </remarks>
public sealed class BranchThreading(DelayModel? delays = null, double clockMhz = 30) : IIrPass
{
    private const int MaxNodes = 24;

    private readonly DelayModel delays = delays ?? DelayModel.For();

    /// <inheritdoc/>
    public string Name => "branch threading";

    /// <inheritdoc/>
    public bool Run(IrFunction function)
    {
        double period = delays.Period(clockMhz);
        bool changed = false;
        foreach (IrBlock block in function.Blocks.ToList())
        {
            if (block.Terminator == IrTerminatorKind.Branch && !block.Threaded && !block.Successors.Contains(block))
            {
                changed |= Thread(function, block, elseSide: false, period);
                changed |= Thread(function, block, elseSide: true, period);
            }
        }

        if (changed)
        {
            HashSet<IrBlock> reached = BlockSurgery.Reachable([function.Entry]);
            function.Blocks.RemoveAll(b => !reached.Contains(b));
            function.Renumber();
        }

        return changed;
    }

    /// <summary>Threads <paramref name="block"/>'s true (or else) way through the test block it leads to, when that pays.</summary>
    private bool Thread(IrFunction function, IrBlock block, bool elseSide, double period)
    {
        IrBlock test = elseSide ? block.Else! : block.Target!;
        IrBlock other = elseSide ? block.Target! : block.Else!;
        // The liveness analysis (of the whole function) only for a test that could be threaded and has
        // assignments to move: the block makes them on both ways, so the other way must not read them.
        if (!Threadable(test, block, other)
            || (test.Assignments.Count > 0 && test.Assignments.Keys.Any(Liveness.LiveIn(function)[other].Contains)))
        {
            return false;
        }

        int stepsBefore = Scheduler.ScheduleSequential(block, delays, period).Steps;
        List<IrNode> nodesBefore = [.. block.Nodes];
        Dictionary<IrVariable, IrNode> assignedBefore = new(block.Assignments);

        // The test reads the variables as the block leaves them.
        IrNode Read(IrVariable v) => assignedBefore.TryGetValue(v, out IrNode? value) ? value : BlockSurgery.ValueAtEnd(block, v);
        IrNode decision = BlockSurgery.CopyExpression(block, test.Condition!, Read);
        Dictionary<IrVariable, IrNode> moved = test.Assignments.ToDictionary(a => a.Key, a => BlockSurgery.CopyExpression(block, a.Value, Read));
        if (moved.Values.Any(nodesBefore.Contains))
        {
            // A test that assigns a value the block already has: rare, and that value, unlike a copy,
            // cannot be marked as computed for a way control may not take.
            Restore(function, block, nodesBefore, assignedBefore, null);
            return false;
        }

        // On the branch's other way these values are never used, and may not fit the widths that
        // narrowing gave the test's own nodes (it knew the branch's condition there).
        foreach (IrNode node in block.Nodes.Except(nodesBefore).Where(n => n.Op != IrOp.ReadVar))
        {
            node.Speculative = true;
        }

        IrVariable flag = function.AddLocal("threaded", KernelValueType.Bool, new Storage(1, false));
        block.Assignments[flag] = decision;
        foreach ((IrVariable v, IrNode value) in moved)
        {
            block.Assignments[v] = value;
        }

        BlockSchedule after = Scheduler.ScheduleSequential(block, delays, period);
        if (after.Steps > stepsBefore || !SettlesInTime(after, decision, block.Condition!, period))
        {
            Restore(function, block, nodesBefore, assignedBefore, flag);
            return false;
        }

        var read = new IrNode(IrOp.ReadVar, flag.Type) { Variable = flag, Storage = flag.Storage, Origin = test.Condition!.Origin };
        var threaded = new IrBlock(function.Blocks.Count)
        {
            Threaded = true,
            Origin = test.Origin,
            Terminator = IrTerminatorKind.Branch,
            Condition = read,
            Target = test.Target,
            Else = test.Else,
        };
        threaded.Nodes.Add(read);
        function.Blocks.Add(threaded);
        if (elseSide)
        {
            block.Else = threaded;
        }
        else
        {
            block.Target = threaded;
        }

        return true;
    }

    /// <summary>
    /// Whether the decision leaves the next-state logic (one more choice between states, after it) the
    /// time it had: it settles no later than the block's own condition, or in the first half of the
    /// cycle. The delay model has no entry for that logic, and a wide compare that settles late in the
    /// cycle, feeding it, took a 30 MHz unpacker to 28 MHz (placed and routed).
    /// </summary>
    private static bool SettlesInTime(BlockSchedule schedule, IrNode decision, IrNode condition, double period)
    {
        double Settled(IrNode node) => schedule.AvailableAt(node) < schedule.Steps - 1 || node.Op is IrOp.Const or IrOp.ReadVar or IrOp.Load ? 0 : schedule.Ready[node];
        return Settled(decision) <= Math.Max(Settled(condition), period / 2);
    }

    /// <summary>Undoes a threading that did not pay.</summary>
    private static void Restore(IrFunction function, IrBlock block, List<IrNode> nodes, Dictionary<IrVariable, IrNode> assignments, IrVariable? flag)
    {
        block.Nodes.Clear();
        block.Nodes.AddRange(nodes);
        block.Assignments.Clear();
        foreach ((IrVariable v, IrNode value) in assignments)
        {
            block.Assignments[v] = value;
        }

        if (flag is not null)
        {
            function.Variables.Remove(flag);
        }
    }

    /// <summary>
    /// A test block that only computes and branches elsewhere (no memory access, no division that could
    /// fault on values the test would not have seen, not a loop), and assigns only locals that
    /// <paramref name="block"/> does not set.
    /// </summary>
    private static bool Threadable(IrBlock test, IrBlock block, IrBlock other) =>
        test != block && test != other && !test.Threaded
        && test.Terminator == IrTerminatorKind.Branch
        && !test.Successors.Contains(test) && !test.Successors.Any(s => s.Threaded)
        && test.Nodes.Count <= MaxNodes
        && !test.Nodes.Any(n => n.IsMemoryAccess || n.Op is IrOp.Div or IrOp.Rem)
        && test.Assignments.Keys.All(v => v.Kind == IrVariableKind.Local && !block.Assignments.ContainsKey(v));
}
