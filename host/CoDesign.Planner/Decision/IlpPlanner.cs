using System.Diagnostics;
using Google.OrTools.Sat;

namespace CoDesign.Planner.Decision;

/// <summary>
/// The decision module as an integer linear program over the steps of the schedule, solved by OR-Tools'
/// CP-SAT. Between two consecutive steps that run a block's model (cyclically) lies a gap; a block kept
/// through it is resident at every step inside and not sent again at the gap's end. Blocks of one model
/// with the same bytes are interchangeable (the same uses, memory and cost), so the program decides per
/// such group how many are kept through each gap and how many are resident at each use (at least as many
/// as are kept on either side); the rest of the group is streamed in for its part of that step, and a
/// Boolean per group and use says whether none is. The room for a step's largest streamed block is counted
/// by levels of its model's footprints (a Boolean per level: some group that large or larger streams), so
/// that the relaxation cannot keep a fraction of the largest block to shrink it. At every step the resident
/// blocks and that room fit the device, and they and the streamed block fit its model slots. It minimises the weight bytes sent per input: at each use the blocks
/// not kept through the gap before it are sent once for the batch, weighted by the share of requests the
/// step stands for. Counting instead of naming blocks takes away the symmetry between equal blocks, which
/// CP-SAT otherwise spends its time on; variables and constraints grow with groups x steps of their own
/// model, not with blocks squared (Checkmate) or blocks x all steps (POET's paging). The start is the better
/// of the whole-schedule and greedy plans, improved by a search near the relaxation's optimum
/// (<see cref="RelaxationInducedNeighbourhood"/>), so CP-SAT starts feasible and close to the optimum and
/// spends its time on the proof.
/// </summary>
public static class IlpPlanner
{
    /// <summary>Solver name in reports.</summary>
    public const string Name = "ILP (CP-SAT)";

    /// <summary>Time the solver gets unless told otherwise; the best plan found by then is returned, and says whether it was proven optimal.</summary>
    public static readonly TimeSpan DefaultTimeLimit = TimeSpan.FromSeconds(1);

    // The most of the time limit the whole-schedule ILP may take for the starting point: it is much smaller
    // and usually proven optimal in a tenth of it, but the first solve in a process (JIT, native code loading)
    // is slower, and a start without it is only the greedy plan.
    internal const double WholeScheduleShare = 0.6;

    // The share of the time left that the search near the relaxation's optimum gets for a better start.
    private const double NeighbourhoodShare = 0.3;

    // Step weights (shares of requests) in millionths, so the objective is integral.
    private const double WeightScale = 1_000_000;

    /// <summary>
    /// Solves <paramref name="problem"/>; null when no plan exists (a block larger than the device beside
    /// nothing else). Stops at <paramref name="timeLimit"/> (<see cref="DefaultTimeLimit"/> unless given)
    /// with the best plan found; <see cref="MemoryPlan.Optimal"/> says whether it was proven optimal and
    /// <see cref="MemoryPlan.LowerBound"/> how far from optimal it can be.
    /// </summary>
    public static MemoryPlan? Solve(PlanningProblem problem, TimeSpan? timeLimit = null) => Solve(problem, timeLimit, null);

    /// <summary>
    /// As <see cref="Solve(PlanningProblem, TimeSpan?)"/>, starting from <paramref name="wholeSchedule"/> (the
    /// whole-schedule ILP's plan of the same problem, solved already) instead of solving it again.
    /// </summary>
    internal static MemoryPlan? Solve(PlanningProblem problem, TimeSpan? timeLimit, MemoryPlan? wholeSchedule)
    {
        var clock = Stopwatch.StartNew();
        int n = problem.Blocks.Count;
        int steps = problem.Steps.Count;
        if (Enumerable.Range(0, n).Any(i => problem.Steps.StepsOf(problem.ModelOf[i]).Count > 0 && problem.Footprint(i) > problem.Capacity))
        {
            return null;
        }

        var useIndex = new int[steps]; // the index of step t among its model's steps
        for (int m = 0; m < problem.Models.Count; m++)
        {
            IReadOnlyList<int> uses = problem.Steps.StepsOf(m);
            for (int j = 0; j < uses.Count; j++)
            {
                useIndex[uses[j]] = j;
            }
        }

        // Groups of interchangeable blocks: one model's (requested) blocks with the same bytes.
        int[][] groups = [.. Enumerable.Range(0, n).Where(i => problem.Steps.StepsOf(problem.ModelOf[i]).Count > 0)
            .GroupBy(i => (problem.ModelOf[i], problem.Blocks[i].Bytes)).Select(g => g.ToArray())];
        var model = new CpModel();

        // kept[g][j]: how many of group g stay through the gap after their model's j-th step; resident[g][j]:
        // how many are resident through that step; whole[g][j]: all of them are (none is streamed in).
        var kept = new IntVar[groups.Length][];
        var resident = new IntVar[groups.Length][];
        var whole = new BoolVar[groups.Length][];
        var total = LinearExpr.NewBuilder();
        long sentIfNothingKept = 0;
        for (int g = 0; g < groups.Length; g++)
        {
            int first = groups[g][0], size = groups[g].Length;
            IReadOnlyList<int> uses = problem.Steps.StepsOf(problem.ModelOf[first]);
            int c = uses.Count;
            kept[g] = [.. Enumerable.Range(0, c).Select(j => model.NewIntVar(0, size, $"kept_{g}_{j}"))];
            resident[g] = c == 1 ? kept[g] : [.. Enumerable.Range(0, c).Select(j => model.NewIntVar(0, size, $"resident_{g}_{j}"))];
            whole[g] = [.. Enumerable.Range(0, c).Select(j => model.NewBoolVar($"whole_{g}_{j}"))];
            for (int j = 0; j < c; j++)
            {
                int before = (j + c - 1) % c;
                if (c > 1)
                {
                    model.Add(resident[g][j] >= kept[g][j]);
                    model.Add(resident[g][j] >= kept[g][before]);
                }

                model.Add(resident[g][j] >= size * whole[g][j]);

                // Each block of the group is sent at this use unless it was kept through the gap before it.
                long cost = (long)Math.Round(problem.Steps.Weights[uses[j]] * WeightScale) * problem.Blocks[first].Bytes;
                sentIfNothingKept += cost * size;
                total.AddTerm(kept[g][before], cost);
            }
        }

        for (int t = 0; t < steps; t++)
        {
            int running = problem.Steps.Models[t];
            var memory = LinearExpr.NewBuilder();
            var slots = LinearExpr.NewBuilder();
            for (int g = 0; g < groups.Length; g++)
            {
                int first = groups[g][0];
                int footprint = problem.Footprint(first);
                IntVar held = problem.ModelOf[first] == running ? resident[g][useIndex[t]] : kept[g][GapContaining(problem.Steps.StepsOf(problem.ModelOf[first]), t)];
                memory.AddTerm(held, footprint);
                slots.Add(held);
            }

            // The room for the largest block streamed in, by levels of the running model's footprints (largest
            // first): streaming[k] says a group at level k or above streams, and the room is the sum of the steps
            // down from each such level to the next. Equal to the largest streamed footprint, and tighter in the
            // relaxation than one bound per group, which a fraction of the largest block kept resident would satisfy.
            int[] levels = [.. groups.Where(g => problem.ModelOf[g[0]] == running).Select(g => problem.Footprint(g[0])).Distinct().OrderDescending()];
            BoolVar? above = null;
            for (int k = 0; k < levels.Length; k++)
            {
                BoolVar streaming = model.NewBoolVar($"streaming_{t}_{k}");
                if (above is not null)
                {
                    model.AddImplication(above, streaming);
                }

                for (int g = 0; g < groups.Length; g++)
                {
                    if (problem.ModelOf[groups[g][0]] == running && problem.Footprint(groups[g][0]) == levels[k])
                    {
                        model.AddBoolOr([streaming, whole[g][useIndex[t]]]);
                    }
                }

                memory.AddTerm(streaming, levels[k] - (k + 1 < levels.Length ? levels[k + 1] : 0));
                above = streaming;
            }

            model.Add(memory <= problem.Capacity);

            // One slot per resident block, and one for the block streamed in (the lowest level streams when any group does).
            if (problem.Slots < n + 1)
            {
                slots.Add(above!);
                model.Add(slots <= problem.Slots);
            }
        }

        // The hint: the whole-schedule plan (by its own ILP, in part of the time) or the greedy one, each kept
        // through further gaps greedily, whichever sends less; so CP-SAT starts from a plan at least as good
        // as one decision per block.
        TimeSpan limit = timeLimit ?? DefaultTimeLimit;
        BlockDecision[][]? start = null;
        wholeSchedule ??= steps > 1 ? WholeScheduleIlpPlanner.Solve(problem, limit * WholeScheduleShare) : null;
        foreach (MemoryPlan? plan in (MemoryPlan?[])[GreedyPlanner.Solve(problem), wholeSchedule])
        {
            if (plan is not null)
            {
                BlockDecision[][] improved = StepGreedyPlanner.Improve(problem, [.. Enumerable.Range(0, steps).Select(t => Enumerable.Range(0, n).Select(i => plan.StateAt(t, i)).ToArray())]);
                start = start is null || problem.WeightBytesPerInput(improved) < problem.WeightBytesPerInput(start) ? improved : start;
            }
        }

        for (int g = 0; g < groups.Length && start is not null; g++)
        {
            IReadOnlyList<int> uses = problem.Steps.StepsOf(problem.ModelOf[groups[g][0]]);
            for (int j = 0; j < uses.Count; j++)
            {
                int next = uses[(j + 1) % uses.Count];
                int keptThrough = groups[g].Count(i => start[next][i] == BlockDecision.Resident && start[problem.Steps.Previous(next)][i] == BlockDecision.Resident);
                int residentAt = groups[g].Count(i => start[uses[j]][i] == BlockDecision.Resident);
                model.AddHint(kept[g][j], keptThrough);
                if (uses.Count > 1)
                {
                    model.AddHint(resident[g][j], residentAt);
                }

                model.AddHint(whole[g][j], residentAt == groups[g].Length);
            }
        }

        model.Maximize(total);

        // A better start near the relaxation's optimum (RINS), in part of the time left: the proof then needs far less search.
        long[]? better = RelaxationInducedNeighbourhood.Search(model.Model, (limit - clock.Elapsed) * NeighbourhoodShare);
        if (better is not null)
        {
            model.ClearHints();
            model.Model.SolutionHint = new PartialVariableAssignment();
            model.Model.SolutionHint.Vars.Add(Enumerable.Range(0, better.Length));
            model.Model.SolutionHint.Values.Add(better);
        }

        var solver = new CpSolver
        {
            StringParameters = $"max_time_in_seconds:{Math.Max(0.05, (limit - clock.Elapsed).TotalSeconds):0.###},num_workers:1,random_seed:1",
        };
        CpSolverStatus status = solver.Solve(model);
        bool solved = status is CpSolverStatus.Optimal or CpSolverStatus.Feasible;

        // When the time ends before CP-SAT has a solution of its own (a heavily loaded machine), the neighbourhood's is the plan.
        Func<IntVar, long> value = solved ? solver.Value : v => better![v.GetIndex()];
        bool found = solved || better is not null;
        if (!found && start is null)
        {
            return null;
        }

        // The counts become states: the first blocks of a group (in block order) are the ones kept or
        // resident, so a block kept through a gap is resident at both its ends.
        var states = new BlockDecision[steps][];
        for (int t = 0; t < steps && found; t++)
        {
            states[t] = new BlockDecision[n];
            Array.Fill(states[t], BlockDecision.Evicted); // blocks of models never requested are in no group
            for (int g = 0; g < groups.Length; g++)
            {
                IReadOnlyList<int> uses = problem.Steps.StepsOf(problem.ModelOf[groups[g][0]]);
                bool used = problem.Uses(t, groups[g][0]);
                long count = used ? value(resident[g][useIndex[t]]) : value(kept[g][GapContaining(uses, t)]);
                for (int p = 0; p < groups[g].Length; p++)
                {
                    states[t][groups[g][p]] = p < count ? BlockDecision.Resident : used ? BlockDecision.Streamed : BlockDecision.Evicted;
                }
            }
        }

        // CP-SAT keeps to the hint's plan only when it is complete and feasible; keep the better of the two.
        if (start is not null && (!found || problem.WeightBytesPerInput(start) < problem.WeightBytesPerInput(states) - 1e-9))
        {
            states = start;
        }

        clock.Stop();

        // The bound is in rounded weights; it says how far from optimal the plan can be, never more than the plan.
        // No bound when the solver had not found one (it then says nothing is kept).
        double bound = (sentIfNothingKept - solver.BestObjectiveBound) / WeightScale / problem.Batch;
        double? lowerBound = solved && bound > 0 ? Math.Min(bound, problem.WeightBytesPerInput(states)) : null;
        return new MemoryPlan(problem, states, Name, clock.Elapsed, status == CpSolverStatus.Optimal, lowerBound);
    }

    // The gap (index of the use it follows) that step t lies in, for a model used at uses (sorted) and not at t.
    private static int GapContaining(IReadOnlyList<int> uses, int t)
    {
        for (int j = uses.Count - 1; j >= 0; j--)
        {
            if (uses[j] < t)
            {
                return j;
            }
        }

        return uses.Count - 1; // before the first use: the gap that wraps around from the last
    }
}
