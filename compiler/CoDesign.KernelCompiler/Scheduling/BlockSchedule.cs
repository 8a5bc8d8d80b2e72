using CoDesign.KernelCompiler.Ir;

namespace CoDesign.KernelCompiler.Scheduling;

/// <summary>
/// When each node of a block happens: its step (clock cycle within the block, from 0) and the
/// time in ns after the step's clock edge when its value settles.
/// </summary>
public sealed class BlockSchedule(IrBlock block)
{
    /// <summary>The block.</summary>
    public IrBlock Block { get; } = block;

    /// <summary>Clock cycles the block takes (at least 1): the state machine has one state per step.</summary>
    public int Steps { get; set; } = 1;

    /// <summary>Step of each node. A load's data is there one step later.</summary>
    public Dictionary<IrNode, int> Step { get; } = [];

    /// <summary>Settling time of each node within its step, in ns.</summary>
    public Dictionary<IrNode, double> Ready { get; } = [];

    /// <summary>The step in which a node's value can first be used (a load's is the next one).</summary>
    public int AvailableAt(IrNode node) => Step[node] + (node.Op == IrOp.Load ? 1 : 0);

    /// <summary>
    /// The earliest step, from <paramref name="notBefore"/> on, at which <paramref name="node"/> can run
    /// with its operands as scheduled so far, and the time its chain starts at within that step: it
    /// chains onto operands that settle in the same step unless its own <paramref name="delay"/> would
    /// then pass <paramref name="period"/>, and starts the next step from registers in that case.
    /// </summary>
    public (int Step, double Time) ChainStart(IrNode node, int notBefore, double delay, double period)
    {
        int step = notBefore;
        double time = 0;
        foreach (IrNode input in node.Inputs)
        {
            int at = AvailableAt(input);
            double ready = input.Op == IrOp.Load ? 0 : Ready[input];
            if (at > step)
            {
                step = at;
                time = ready;
            }
            else if (at == step)
            {
                time = Math.Max(time, ready);
            }
        }

        return time > 0 && time + delay > period ? (step + 1, 0) : (step, time);
    }

    /// <summary>When the block is a loop run as a modulo-scheduled pipeline: its II and bypasses (null: one step after another).</summary>
    public LoopPipeline? Pipeline { get; set; }

    /// <summary>
    /// The entry block of a state machine that runs in the cycle that takes <c>start</c>, reading the
    /// input ports themselves (<see cref="Scheduler.EntryRunsAtStart"/>): it takes no state and no cycle.
    /// </summary>
    public bool AtStart { get; set; }

    /// <summary>
    /// For a pipelined loop of a state machine: the block after it, a return, runs in the cycle the loop's
    /// last iteration finishes in (<see cref="Scheduler.ExitRunsInLastCycle"/>) rather than in a state after it.
    /// </summary>
    public bool ExitInLastCycle { get; set; }

    /// <summary>
    /// For a pipelined loop right after a state machine's entry block that runs at start: the loop's
    /// first iteration starts in that same cycle, its reads of what the entry block assigns taking the
    /// entry's values (<see cref="Scheduler.LoopStartsAtStart"/>).
    /// </summary>
    public bool StartsAtStart { get; set; }

    /// <summary>States the block takes in the state machine: one per step, or one for a pipelined loop (none at start).</summary>
    public int States => AtStart ? 0 : Pipeline is null ? Steps : 1;

    /// <summary>Cycles one pass through the block takes: its steps, a pipelined loop's II per iteration, none at start.</summary>
    public int Cycles => AtStart ? 0 : Pipeline?.InitiationInterval ?? Steps;

    /// <summary>The longest chain of delays in any step, in ns.</summary>
    public double CriticalPath => Ready.Count == 0 ? 0 : Ready.Values.Max();
}
