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
