using CoDesign.Planner.Profile;

namespace CoDesign.Planner.Decision;

/// <summary>
/// The decision module's answer: for each step of the schedule and each block, resident, streamed or
/// evicted; what it costs on the link per input; and how it was found.
/// </summary>
public sealed class MemoryPlan
{
    private readonly BlockDecision[][] _states;

    /// <summary>
    /// Creates a plan of <paramref name="states"/> (per step, then per block) for <paramref name="problem"/>.
    /// Throws <see cref="ArgumentException"/> when the states cannot be carried out: a block streamed
    /// at a step that does not run its model, one its step runs that is absent, residency that begins at
    /// a step where the block is not used (only a block's own step loads it), or a step over capacity or over the device's model slots.
    /// </summary>
    public MemoryPlan(PlanningProblem problem, BlockDecision[][] states, string solver, TimeSpan solveTime, bool optimal, double? lowerBound = null)
    {
        if (states.Length != problem.Steps.Count || states.Any(s => s.Length != problem.Blocks.Count))
        {
            throw new ArgumentException($"a plan needs a state for each of {problem.Blocks.Count} blocks at each of {problem.Steps.Count} steps", nameof(states));
        }

        for (int t = 0; t < states.Length; t++)
        {
            for (int i = 0; i < problem.Blocks.Count; i++)
            {
                BlockDecision state = states[t][i];
                bool used = problem.Uses(t, i);
                if ((used && state == BlockDecision.Evicted) || (!used && state == BlockDecision.Streamed)
                    || (!used && state == BlockDecision.Resident && states[problem.Steps.Previous(t)][i] != BlockDecision.Resident))
                {
                    throw new ArgumentException($"block {i} ({problem.Blocks[i].Model}/{problem.Blocks[i].Label}) cannot be {state.ToString().ToLowerInvariant()} at step {t}, which runs model '{problem.Models[problem.Steps.Models[t]].Name}'", nameof(states));
                }
            }
        }

        Problem = problem;
        _states = states;
        Solver = solver;
        SolveTime = solveTime;
        Optimal = optimal;
        WeightBytesPerInput = problem.WeightBytesPerInput(_states);
        PeakBytes = problem.PeakBytes(_states);
        LowerBound = lowerBound;
        if (PeakBytes > problem.Capacity)
        {
            throw new ArgumentException($"the plan needs {PeakBytes} bytes at some step, more than the {problem.Capacity} the device has", nameof(states));
        }

        PeakSlots = Enumerable.Range(0, problem.Steps.Count).Max(t => problem.SlotsAt(_states, t));
        if (PeakSlots > problem.Slots)
        {
            throw new ArgumentException($"the plan registers {PeakSlots} blocks at once at some step, more than the {problem.Slots} model slots the device has", nameof(states));
        }
    }

    /// <summary>A plan that makes one decision per block for the whole schedule (<see cref="PlanningProblem.EveryStep"/>).</summary>
    public static MemoryPlan WholeSchedule(PlanningProblem problem, IReadOnlyList<BlockDecision> decisions, string solver, TimeSpan solveTime, bool optimal) =>
        new(problem, problem.EveryStep(decisions), solver, solveTime, optimal);

    /// <summary>What was planned.</summary>
    public PlanningProblem Problem { get; }

    /// <summary>Who decided: "ILP (CP-SAT)", "greedy", ...</summary>
    public string Solver { get; }

    /// <summary>Wall time the decision took.</summary>
    public TimeSpan SolveTime { get; }

    /// <summary>True when the solver proved the plan optimal.</summary>
    public bool Optimal { get; }

    /// <summary>The solver's proven lower bound on <see cref="WeightBytesPerInput"/>, when it gives one.</summary>
    public double? LowerBound { get; }

    /// <summary>The state of block <paramref name="block"/> at step <paramref name="step"/>.</summary>
    public BlockDecision StateAt(int step, int block) => _states[step][block];

    /// <summary>Weight bytes sent per input once the schedule repeats, averaged over the mix.</summary>
    public double WeightBytesPerInput { get; }

    /// <summary>Link bytes per input, averaged over the mix: weights sent, inputs, outputs and Run headers.</summary>
    public double LinkBytesPerInput => WeightBytesPerInput + Problem.Models.Sum(m => Problem.Mix.ShareOf(m.Name) * m.RunBytesPerInput(Problem.Batch));

    /// <summary>Link seconds per input at the device's baud rate (10 bits per byte).</summary>
    public double LinkSecondsPerInput => Problem.Device.BaudRate == 0 ? 0 : LinkBytesPerInput * 10 / Problem.Device.BaudRate;

    /// <summary>The largest device memory any step needs.</summary>
    public int PeakBytes { get; }

    /// <summary>The most model slots any step takes (<see cref="PlanningProblem.SlotsAt"/>).</summary>
    public int PeakSlots { get; }

    /// <summary>Bytes of the blocks resident at step <paramref name="step"/>.</summary>
    public int ResidentBytesAt(int step) => Problem.ResidentBytesAt(_states, step);

    /// <summary>Bytes of the blocks resident at every step.</summary>
    public int AlwaysResidentBytes => Enumerable.Range(0, Problem.Blocks.Count).Where(i => KindOf(i) == ResidencyKind.Always).Sum(Problem.Footprint);

    /// <summary>How block <paramref name="block"/> spends the schedule.</summary>
    public ResidencyKind KindOf(int block)
    {
        int steps = Problem.Steps.Count;
        int resident = Enumerable.Range(0, steps).Count(t => _states[t][block] == BlockDecision.Resident);
        return resident == steps ? ResidencyKind.Always
            : resident > 0 ? ResidencyKind.SomeSteps
            : Enumerable.Range(0, steps).Any(t => _states[t][block] == BlockDecision.Streamed) ? ResidencyKind.Streamed
            : ResidencyKind.Never;
    }

    /// <summary>Block <paramref name="block"/>'s state over the steps, one letter each: R resident, S streamed in, '.' evicted.</summary>
    public string Residency(int block) =>
        string.Concat(Enumerable.Range(0, Problem.Steps.Count).Select(t => _states[t][block] switch
        {
            BlockDecision.Resident => 'R',
            BlockDecision.Streamed => 'S',
            _ => '.',
        }));

    /// <summary>The blocks of model <paramref name="model"/> (an index into the problem's models) with their index among all blocks.</summary>
    public IEnumerable<(BlockProfile Block, int Index)> BlocksOf(int model) => Problem.BlocksOf(model).Select(i => (Problem.Blocks[i], i));

    /// <summary>
    /// Device memory at each step of one round of the schedule: the blocks resident through it, and the
    /// largest block streamed in while it runs.
    /// </summary>
    public IReadOnlyList<(string Model, int ResidentBytes, int StreamedBytes)> MemoryOverSchedule() =>
        [.. Enumerable.Range(0, Problem.Steps.Count).Select(t => (Problem.Models[Problem.Steps.Models[t]].Name, Problem.ResidentBytesAt(_states, t), Problem.StreamedBytesAt(_states, t)))];
}

/// <summary>How a block spends a plan's schedule.</summary>
public enum ResidencyKind
{
    /// <summary>Resident at every step: sent once, kept.</summary>
    Always,

    /// <summary>Resident at some steps (loaded at one of its model's steps, kept for a while, evicted), streamed or evicted at the others.</summary>
    SomeSteps,

    /// <summary>Never kept: streamed in at each of its model's steps.</summary>
    Streamed,

    /// <summary>Never on the device: its model is not requested.</summary>
    Never,
}
