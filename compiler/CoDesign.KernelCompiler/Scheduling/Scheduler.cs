using CoDesign.KernelCompiler.Ir;

namespace CoDesign.KernelCompiler.Scheduling;

/// <summary>
/// Static list scheduling of each block with operation chaining: operations go into the earliest
/// clock step where their operands are ready and the chain of delays still fits the clock period;
/// each memory has one read and one write port per step (iCE40 block RAM), reads take one cycle,
/// and accesses to one memory keep their program order. A loop of one block is modulo-scheduled
/// (<see cref="ModuloScheduler"/>) when that beats running its iterations one after another.
/// </summary>
public static class Scheduler
{
    /// <summary>
    /// The schedule of every block of <paramref name="function"/> for a clock of <paramref name="clockMhz"/>;
    /// <paramref name="pipelineLoops"/> false keeps every loop to one iteration at a time.
    /// </summary>
    public static Dictionary<IrBlock, BlockSchedule> Schedule(IrFunction function, DelayModel delays, double clockMhz, bool pipelineLoops = true)
    {
        double period = delays.Period(clockMhz);
        return function.Blocks.ToDictionary(b => b, b =>
        {
            BlockSchedule sequential = ScheduleSequential(b, delays, period);
            if (b.Threaded)
            {
                // Decided in the cycle before it (BranchThreading): no state of its own.
                sequential.Steps = 0;
                return sequential;
            }

            return pipelineLoops && ModuloScheduler.IsLoop(b) ? ModuloScheduler.Schedule(b, delays, period, sequential.Steps) ?? sequential : sequential;
        });
    }

    /// <summary>
    /// Whether a state machine's entry block can run in the cycle that takes <c>start</c> (with the
    /// scalar and length ports read directly, as the registers that latch them will hold them), so that
    /// the call costs no cycle for it: one step, no memory access (the ports' accesses belong to
    /// states), not a loop, and no block goes back to it.
    /// </summary>
    public static bool EntryRunsAtStart(IrFunction function, BlockSchedule entry) =>
        entry.Block == function.Entry && entry.Pipeline is null && entry.Steps == 1 && !entry.Block.Threaded
        && !entry.Block.Nodes.Any(n => n.IsMemoryAccess)
        && !function.Blocks.Any(b => b.Successors.Contains(entry.Block));

    /// <summary>
    /// Whether pipelined loop <paramref name="loop"/> can start its first iteration in the cycle that
    /// takes <c>start</c>, with the entry block (which then runs at start too): the entry block goes to
    /// it, nothing else but the loop itself does, the loop keeps no value in a memory's read data and
    /// forwards no store to a load (those need the cycle before), and its iterations take more steps
    /// than its II (the loop's state then holds the first iteration's later steps). Not with a stall
    /// input: tried, the stalled corpus agreed, but the CRC kernel fed by <c>span_stream_reader</c>
    /// (SpanStreamRtlTests) gave wrong sums, whose cause is not found yet.
    /// </summary>
    public static bool LoopStartsAtStart(IrFunction function, Dictionary<IrBlock, BlockSchedule> schedules, IrBlock loop, bool stall)
    {
        BlockSchedule schedule = schedules[loop];
        IrBlock entry = function.Entry;
        return !stall && schedules[entry].AtStart && schedule.Pipeline is { } pipeline
            && pipeline.MemoryRegisters.Count == 0 && pipeline.Bypasses.Count == 0 && schedule.Steps > pipeline.InitiationInterval
            && entry.Successors.Contains(loop)
            && function.Blocks.All(b => b == entry || b == loop || !b.Successors.Contains(loop));
    }

    /// <summary>
    /// Whether the block a pipelined loop leaves to can run in the loop's last cycle (the one its last
    /// iteration finishes in) and end the call there: it returns, in one step, with no memory access,
    /// assigns nothing the loop assigns, and reads nothing the loop writes in that last step (those
    /// writes land at the end of the cycle) or keeps in a memory's read data.
    /// </summary>
    public static bool ExitRunsInLastCycle(Dictionary<IrBlock, BlockSchedule> schedules, IrBlock loop)
    {
        BlockSchedule schedule = schedules[loop];
        if (schedule.Pipeline is null)
        {
            return false;
        }

        IrBlock exit = loop.Target == loop ? loop.Else! : loop.Target!;
        BlockSchedule after = schedules[exit];
        int last = schedule.Steps - 1;
        return exit.Terminator == IrTerminatorKind.Return && !exit.Threaded && after.Pipeline is null && after.Steps == 1 && !after.AtStart
            && !exit.Nodes.Any(n => n.IsMemoryAccess)
            && !exit.Assignments.Keys.Any(loop.Assignments.ContainsKey)
            && !exit.Nodes.Any(n => n.Op == IrOp.ReadVar && loop.Assignments.TryGetValue(n.Variable!, out IrNode? value)
                && (schedule.AvailableAt(value) >= last || n.Variable!.PrefetchOf is not null));
    }

    /// <summary>The schedule of <paramref name="block"/> as one step after another (no loop pipelining) for a clock period of <paramref name="period"/> ns.</summary>
    public static BlockSchedule ScheduleSequential(IrBlock block, DelayModel delays, double period)
    {
        var schedule = new BlockSchedule(block);
        var lastRead = new Dictionary<IrMemory, int>();
        var lastWrite = new Dictionary<IrMemory, int>();
        int last = 0;
        foreach (IrNode node in block.Nodes)
        {
            double delay = delays.Delay(node);
            (int step, double time) = schedule.ChainStart(node, 0, delay, period);
            if (node.IsMemoryAccess)
            {
                IrMemory memory = node.Memory!;
                if (node.Op == IrOp.Load)
                {
                    // After this memory's earlier writes (a read in the same cycle returns the old data).
                    step = Math.Max(step, lastWrite.GetValueOrDefault(memory, -1) + 1);
                    step = Math.Max(step, lastRead.GetValueOrDefault(memory, -1) + 1);
                    lastRead[memory] = step;
                }
                else
                {
                    step = Math.Max(step, lastWrite.GetValueOrDefault(memory, -1) + 1);
                    step = Math.Max(step, lastRead.GetValueOrDefault(memory, 0));
                    lastWrite[memory] = step;
                }
            }

            schedule.Step[node] = step;
            schedule.Ready[node] = time + delay;
            last = Math.Max(last, schedule.AvailableAt(node));
        }

        // Assignments and the branch happen at the end of the last step, with every value there.
        schedule.Steps = last + 1;
        return schedule;
    }
}
