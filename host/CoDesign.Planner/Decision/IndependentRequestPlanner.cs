using System.Diagnostics;
using CoDesign.Planner.Execution;

namespace CoDesign.Planner.Decision;

/// <summary>
/// The plan to carry out when requests arrive independently by the mix, not in the order of the step
/// sequence the plans were solved for. The per-step ILP's plan is the cheapest on that one drawn sequence,
/// but it may load blocks for a run of their model that the sequence has by chance and real requests do
/// not; the whole-schedule ILP's one decision per block cannot be fitted to the order that way. So both
/// are solved (in the time one per-step solve gets) and replayed, as <see cref="StepWalker"/> carries a
/// plan out, over <see cref="Traces"/> traces drawn from the mix with seeds of their own, and the one
/// that sends fewer weight bytes there is carried out (the per-step plan on a tie).
/// </summary>
public static class IndependentRequestPlanner
{
    /// <summary>How many traces each plan is replayed over.</summary>
    public const int Traces = 3;

    /// <summary>Requests per trace: long enough that the first loads are a small part of the bytes.</summary>
    public const int RequestsPerTrace = 2000;

    // The share of the time limit kept for the replays (about 60 ms for 500 blocks), so the whole choice keeps to it.
    private const double ReplayShare = 0.1;

    // Trace seeds, apart from the step sequence's (1) and from the benchmark's evaluation trace (12).
    private const int FirstTraceSeed = 1001;

    /// <summary>
    /// Solves <paramref name="problem"/> by both ILPs and replays them within about <paramref name="timeLimit"/> in all
    /// (<see cref="IlpPlanner.DefaultTimeLimit"/> unless given) and chooses by replay; null when no plan exists.
    /// </summary>
    public static PlanChoice? Solve(PlanningProblem problem, TimeSpan? timeLimit = null)
    {
        var clock = Stopwatch.StartNew();
        TimeSpan limit = timeLimit ?? IlpPlanner.DefaultTimeLimit;
        MemoryPlan? wholeSchedule = problem.Steps.Count > 1 ? WholeScheduleIlpPlanner.Solve(problem, limit * IlpPlanner.WholeScheduleShare) : null;
        MemoryPlan? perStep = IlpPlanner.Solve(problem, (limit * (1 - ReplayShare)) - clock.Elapsed, wholeSchedule);
        if (perStep is null)
        {
            return null;
        }

        int[][] traces = ReplayTraces(problem);
        double Replayed(MemoryPlan plan) => PerInput(problem, traces, trace => StepWalker.Replay(plan, trace).WeightBytes);
        double perStepBytes = Replayed(perStep);
        double? wholeBytes = wholeSchedule is null ? null : Replayed(wholeSchedule);
        clock.Stop();
        return wholeBytes < perStepBytes
            ? new PlanChoice(wholeSchedule!, wholeBytes.Value, perStep, perStepBytes, clock.Elapsed)
            : new PlanChoice(perStep, perStepBytes, wholeSchedule, wholeBytes, clock.Elapsed);
    }

    /// <summary>The <see cref="Traces"/> traces of <see cref="RequestsPerTrace"/> requests the plans are replayed over (indices into the problem's models).</summary>
    public static int[][] ReplayTraces(PlanningProblem problem) =>
        [.. Enumerable.Range(FirstTraceSeed, Traces).Select(seed => LruBaseline.Trace(problem, RequestsPerTrace, seed))];

    /// <summary>Bytes per input that <paramref name="sent"/> (bytes over one trace) comes to over all of <paramref name="traces"/>, one batch per request.</summary>
    public static double PerInput(PlanningProblem problem, IReadOnlyList<int[]> traces, Func<int[], long> sent) =>
        traces.Sum(sent) / ((double)traces.Sum(t => t.Length) * problem.Batch);
}
