using CoDesign.KernelCompiler.Ir;

namespace CoDesign.KernelCompiler.Scheduling;

/// <summary>
/// Modulo scheduling of a loop that is one block (its body and test after tail duplication): the
/// smallest initiation interval (II) from 1 up at which an as-soon-as-possible schedule with chaining
/// meets every constraint, with nodes pushed later where a constraint asks for it.
/// <list type="bullet">
/// <item>Resources: each memory's read port and write port serve one access per cycle, so two
/// loads (or two stores) of one memory need steps that differ modulo II.</item>
/// <item>Variables carried round the loop: the next iteration reads a variable no earlier than the
/// cycle after this one writes it, and no later than its own write.</item>
/// <item>Memory carried round the loop: an access of the next iteration does not happen before one
/// of this iteration (a load in the cycle of an earlier iteration's store gets the store's data by
/// a bypass; a store in the cycle of an earlier load leaves the load the old data).</item>
/// <item>A variable read one iteration ahead (<see cref="IrVariable.PrefetchOf"/>), when its load
/// is the memory's only access in the loop: the memory's read data is its register, written in the
/// load's step, so the load goes in step II - 1 and every read of the variable in step 0 (see
/// <see cref="LoopPipeline.MemoryRegisters"/>).</item>
/// <item>Control: the loop test is known by step II - 1, so the next iteration starts on time and
/// nothing is speculated.</item>
/// </list>
/// </summary>
public static class ModuloScheduler
{
    /// <summary>True when <paramref name="block"/> is a loop of one block: it branches to itself.</summary>
    public static bool IsLoop(IrBlock block) =>
        block.Terminator == IrTerminatorKind.Branch && (block.Target == block || block.Else == block) && block.Target != block.Else;

    /// <summary>
    /// Loop bodies of more operations than this run one iteration at a time: the search's cost grows
    /// with the body's size times the IIs it tries (a random kernel whose unrolled body became one block
    /// of 1,321 operations and 170 steps took minutes), and no kernel of kernels/ or of the conformance
    /// corpus pipelines a body of more than 103.
    /// </summary>
    public const int MaxNodes = 256;

    /// <summary>
    /// A modulo schedule of loop <paramref name="block"/> with an II below <paramref name="iiLimit"/>,
    /// or null when there is none (the loop then runs one iteration at a time).
    /// </summary>
    public static BlockSchedule? Schedule(IrBlock block, DelayModel delays, double period, int iiLimit)
    {
        if (block.Nodes.Count > MaxNodes)
        {
            return null;
        }

        int ports = Math.Max(1, block.Nodes.Where(n => n.IsMemoryAccess).GroupBy(n => (n.Memory, n.Op)).Select(g => g.Count()).DefaultIfEmpty(1).Max());
        int minimum = Math.Max(ports, DependenceBound(block, delays, period));
        for (int ii = minimum; ii < iiLimit; ii++)
        {
            var lower = new Dictionary<IrNode, int>();
            for (int round = 0; round < (4 * block.Nodes.Count) + 8; round++)
            {
                BlockSchedule schedule = Asap(block, delays, period, ii, lower);
                Verdict verdict = Check(block, schedule, ii, lower);
                if (verdict == Verdict.Infeasible)
                {
                    break;
                }

                if (verdict == Verdict.Met)
                {
                    schedule.Steps = Math.Max(schedule.Steps, ii);
                    schedule.Pipeline = new LoopPipeline(ii, Bypasses(block, schedule, ii), MemoryRegisters(block).Select(r => r.Variable).ToHashSet());
                    return schedule;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// An II below which <see cref="Check"/> can meet no schedule, from the dependences alone: the
    /// loop test must be known by step II - 1, and a variable carried round the loop must be written
    /// by the cycle before the next iteration reads it, so II is at least the steps from each read of
    /// a carried variable to its new value, plus one. Both are measured with operands at their
    /// earliest and no port limits; ports and raised bounds only move nodes later, and a chain
    /// shifted by whole steps keeps its length, so the bound holds for every schedule the search
    /// could find. Starting there skips the IIs that cannot work (the CRC's byte loop has II = 8),
    /// which took most of the compile time; the schedule found is the same.
    /// </summary>
    internal static int DependenceBound(IrBlock block, DelayModel delays, double period)
    {
        int bound = 1;
        if (block.Condition is { } condition)
        {
            BlockSchedule earliest = Earliest(block, delays, period, null);
            bound = Math.Max(bound, earliest.AvailableAt(condition) + 1);
        }

        foreach ((IrVariable variable, IrNode value) in block.Assignments)
        {
            bool memoryRegister = IsMemoryRegister(block, variable, value);
            foreach (IrNode read in block.Nodes.Where(n => n.Op == IrOp.ReadVar && n.Variable == variable))
            {
                BlockSchedule fromRead = Earliest(block, delays, period, read);
                if (fromRead.Step.ContainsKey(value))
                {
                    bound = Math.Max(bound, (memoryRegister ? fromRead.Step[value] : fromRead.AvailableAt(value)) + 1);
                }
            }
        }

        return bound;
    }

    /// <summary>
    /// Steps with chaining and nothing but data dependences; from <paramref name="source"/> (at step 0)
    /// only the nodes that depend on it are placed, their other operands counting as long settled.
    /// </summary>
    private static BlockSchedule Earliest(IrBlock block, DelayModel delays, double period, IrNode? source)
    {
        var schedule = new BlockSchedule(block);
        foreach (IrNode node in block.Nodes)
        {
            IrNode[] inputs = source is null ? node.Inputs : [.. node.Inputs.Where(schedule.Step.ContainsKey)];
            if (source is not null && node != source && inputs.Length == 0)
            {
                continue;
            }

            // ChainStart reads the operands' steps from the schedule; a node of the placed operands only.
            var probe = new IrNode(node.Op, node.Type, inputs);
            double delay = delays.Delay(node);
            (int step, double time) = schedule.ChainStart(probe, 0, delay, period);
            schedule.Step[node] = step;
            schedule.Ready[node] = time + delay;
        }

        return schedule;
    }

    private enum Verdict
    {
        Met,
        Raised,
        Infeasible,
    }

    /// <summary>The list scheduler's rules plus lower bounds and a modulo reservation table per memory port.</summary>
    private static BlockSchedule Asap(IrBlock block, DelayModel delays, double period, int ii, Dictionary<IrNode, int> lower)
    {
        var schedule = new BlockSchedule(block);
        var lastRead = new Dictionary<IrMemory, int>();
        var lastWrite = new Dictionary<IrMemory, int>();
        var reserved = new HashSet<(IrMemory, IrOp, int)>();
        int last = 0;
        foreach (IrNode node in block.Nodes)
        {
            double delay = delays.Delay(node);
            (int step, double time) = schedule.ChainStart(node, lower.GetValueOrDefault(node), delay, period);
            if (node.IsMemoryAccess)
            {
                IrMemory memory = node.Memory!;
                step = node.Op == IrOp.Load
                    ? Math.Max(step, Math.Max(lastWrite.GetValueOrDefault(memory, -1), lastRead.GetValueOrDefault(memory, -1)) + 1)
                    : Math.Max(step, Math.Max(lastWrite.GetValueOrDefault(memory, -1) + 1, lastRead.GetValueOrDefault(memory, 0)));
                while (!reserved.Add((memory, node.Op, step % ii)))
                {
                    step++;
                }

                (node.Op == IrOp.Load ? lastRead : lastWrite)[memory] = step;
            }

            schedule.Step[node] = step;
            schedule.Ready[node] = time + delay;
            last = Math.Max(last, schedule.AvailableAt(node));
        }

        schedule.Steps = last + 1;
        return schedule;
    }

    /// <summary>Checks the loop-carried and control constraints, raising lower bounds where a later step would meet them.</summary>
    private static Verdict Check(IrBlock block, BlockSchedule schedule, int ii, Dictionary<IrNode, int> lower)
    {
        if (block.Condition is { } condition && schedule.AvailableAt(condition) > ii - 1)
        {
            return Verdict.Infeasible;
        }

        bool raised = false;
        foreach ((IrVariable variable, IrNode load) in MemoryRegisters(block))
        {
            int step = schedule.Step[load];
            if (step > ii - 1 || block.Nodes.Any(n => n.Op == IrOp.ReadVar && n.Variable == variable && schedule.Step[n] != 0))
            {
                return Verdict.Infeasible;
            }

            if (step < ii - 1)
            {
                lower[load] = ii - 1;
                raised = true;
            }
        }

        foreach ((IrVariable variable, IrNode value) in block.Assignments)
        {
            int written = IsMemoryRegister(block, variable, value) ? schedule.Step[value] : schedule.AvailableAt(value);
            foreach (IrNode read in block.Nodes.Where(n => n.Op == IrOp.ReadVar && n.Variable == variable))
            {
                int step = schedule.Step[read];
                if (step > written)
                {
                    return Verdict.Infeasible;
                }

                if (step < written + 1 - ii)
                {
                    lower[read] = written + 1 - ii;
                    raised = true;
                }
            }
        }

        List<IrNode> accesses = [.. block.Nodes.Where(n => n.IsMemoryAccess)];
        foreach (IrNode earlier in accesses)
        {
            foreach (IrNode later in accesses.Where(a => a.Memory == earlier.Memory && (a.Op == IrOp.Store || earlier.Op == IrOp.Store)))
            {
                // `earlier` in iteration i, `later` in iteration i + 1.
                if (schedule.Step[later] + ii < schedule.Step[earlier])
                {
                    lower[later] = schedule.Step[earlier] - ii;
                    raised = true;
                }
            }
        }

        return raised ? Verdict.Raised : Verdict.Met;
    }

    /// <summary>True when <paramref name="variable"/>, assigned <paramref name="value"/> by <paramref name="block"/>, can live in its memory's read data (see <see cref="LoopPipeline.MemoryRegisters"/>).</summary>
    private static bool IsMemoryRegister(IrBlock block, IrVariable variable, IrNode value) =>
        variable.PrefetchOf is { } memory && value.Op == IrOp.Load && value.Memory == memory && value.Guard is null
        && block.Nodes.Count(n => n.IsMemoryAccess && n.Memory == memory) == 1;

    private static IEnumerable<(IrVariable Variable, IrNode Load)> MemoryRegisters(IrBlock block) =>
        block.Assignments.Where(a => IsMemoryRegister(block, a.Key, a.Value)).Select(a => (a.Key, a.Value));

    private static List<StoreBypass> Bypasses(IrBlock block, BlockSchedule schedule, int ii)
    {
        var bypasses = new List<StoreBypass>();
        foreach (IrNode load in block.Nodes.Where(n => n.Op == IrOp.Load))
        {
            foreach (IrNode store in block.Nodes.Where(n => n.Op == IrOp.Store && n.Memory == load.Memory))
            {
                int apart = schedule.Step[store] - schedule.Step[load];
                if (apart > 0 && apart % ii == 0)
                {
                    bypasses.Add(new StoreBypass(load, store, apart / ii));
                }
            }
        }

        return bypasses;
    }
}
