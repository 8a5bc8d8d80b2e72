using CoDesign.Planner.Profile;

namespace CoDesign.Planner.Decision;

/// <summary>
/// The decision module's answer: resident, streamed or evicted per block, what it costs on the link per
/// input, and how it was found.
/// </summary>
public sealed class MemoryPlan
{
    /// <summary>Creates a plan of <paramref name="decisions"/> for <paramref name="problem"/>.</summary>
    public MemoryPlan(PlanningProblem problem, IReadOnlyList<BlockDecision> decisions, string solver, TimeSpan solveTime, bool optimal)
    {
        Problem = problem;
        Decisions = decisions;
        Solver = solver;
        SolveTime = solveTime;
        Optimal = optimal;
    }

    /// <summary>What was planned.</summary>
    public PlanningProblem Problem { get; }

    /// <summary>One decision per block of <see cref="PlanningProblem.Blocks"/>.</summary>
    public IReadOnlyList<BlockDecision> Decisions { get; }

    /// <summary>Who decided: "ILP (CP-SAT)", "greedy".</summary>
    public string Solver { get; }

    /// <summary>Wall time the decision took.</summary>
    public TimeSpan SolveTime { get; }

    /// <summary>True when the solver proved the plan optimal.</summary>
    public bool Optimal { get; }

    /// <summary>Weight bytes streamed per input, averaged over the mix.</summary>
    public double StreamedBytesPerInput => Problem.StreamedBytesPerInput(Decisions);

    /// <summary>Link bytes per input, averaged over the mix: streamed weights, inputs, outputs and Run headers.</summary>
    public double LinkBytesPerInput => StreamedBytesPerInput + Problem.Models.Sum(m => Problem.Mix.ShareOf(m.Name) * m.RunBytesPerInput(Problem.Batch));

    /// <summary>Link seconds per input at the device's baud rate (10 bits per byte).</summary>
    public double LinkSecondsPerInput => Problem.Device.BaudRate == 0 ? 0 : LinkBytesPerInput * 10 / Problem.Device.BaudRate;

    /// <summary>Bytes kept resident.</summary>
    public int ResidentBytes => Enumerable.Range(0, Decisions.Count).Where(i => Decisions[i] == BlockDecision.Resident).Sum(Problem.Footprint);

    /// <summary>The largest device memory any step needs.</summary>
    public int PeakBytes => Problem.PeakBytes(Decisions);

    /// <summary>The decisions of one model's blocks, in its block order.</summary>
    public IEnumerable<(BlockProfile Block, BlockDecision Decision)> BlocksOf(ModelProfile model) =>
        Enumerable.Range(0, Decisions.Count).Where(i => Problem.Blocks[i].Model == model.Name && Problem.Models[Problem.ModelOf[i]] == model).Select(i => (Problem.Blocks[i], Decisions[i]));

    /// <summary>
    /// Device memory at each step of one round of the schedule (each requested model's blocks in order):
    /// resident bytes plus the block streamed in for that step.
    /// </summary>
    public IReadOnlyList<(string Step, int ResidentBytes, int StreamedBytes)> MemoryOverSchedule()
    {
        var steps = new List<(string, int, int)>();
        int resident = ResidentBytes;
        for (int i = 0; i < Decisions.Count; i++)
        {
            if (Decisions[i] == BlockDecision.Evicted)
            {
                continue;
            }

            BlockProfile block = Problem.Blocks[i];
            steps.Add(($"{block.Model}/{block.Label}", resident, Decisions[i] == BlockDecision.Streamed ? Problem.Footprint(i) : 0));
        }

        return steps;
    }
}
