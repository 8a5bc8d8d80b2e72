using System.Diagnostics;
using Google.OrTools.Sat;

namespace CoDesign.Planner.Decision;

/// <summary>
/// The decision module as an integer linear program over the steps of the schedule, solved by OR-Tools'
/// CP-SAT. Between two consecutive steps that run a block's model (cyclically) lies a gap; one binary per
/// block and gap says the block is kept through it (resident at every step inside, so not sent again at
/// the gap's end). One binary per block and use says it is resident through that step (at least when it
/// is kept on either side); otherwise it is streamed in for its part of the step. An integer per step is
/// the room of that step's largest streamed block; at every step the resident blocks and that room fit
/// the device. It minimises the weight bytes sent per input: at each use not preceded by a kept gap the
/// block is sent once for the batch, weighted by the share of requests the step stands for. Variables and
/// constraints grow with blocks x steps of their own model, not with blocks squared (Checkmate) or blocks x
/// all steps (POET's paging); the greedy whole-schedule plan is the hint, so CP-SAT starts feasible.
/// </summary>
public static class IlpPlanner
{
    /// <summary>Solver name in reports.</summary>
    public const string Name = "ILP (CP-SAT)";

    /// <summary>Time the solver gets unless told otherwise; the best plan found by then is returned, and says whether it was proven optimal.</summary>
    public static readonly TimeSpan DefaultTimeLimit = TimeSpan.FromSeconds(1);

    // The share of the time limit the whole-schedule ILP gets for the starting point: it is much smaller
    // and usually proven optimal in it, which the per-step search alone does not match in a second at 500 blocks.
    private const double WholeScheduleShare = 0.6;

    // Step weights (shares of requests) in millionths, so the objective is integral.
    private const double WeightScale = 1_000_000;

    /// <summary>
    /// Solves <paramref name="problem"/>; null when no plan exists (a block larger than the device beside
    /// nothing else). Stops at <paramref name="timeLimit"/> (<see cref="DefaultTimeLimit"/> unless given)
    /// with the best plan found; <see cref="MemoryPlan.Optimal"/> says whether it was proven optimal and
    /// <see cref="MemoryPlan.LowerBound"/> how far from optimal it can be.
    /// </summary>
    public static MemoryPlan? Solve(PlanningProblem problem, TimeSpan? timeLimit = null)
    {
        var clock = Stopwatch.StartNew();
        int n = problem.Blocks.Count;
        int steps = problem.Steps.Count;
        if (Enumerable.Range(0, n).Any(i => problem.Steps.StepsOf(problem.ModelOf[i]).Count > 0 && problem.Footprint(i) > problem.Capacity))
        {
            return null;
        }

        var model = new CpModel();

        // keep[i][j]: block i stays through the gap after its model's j-th step; resident[i][j]: resident through that step.
        var keep = new BoolVar[n][];
        var resident = new BoolVar[n][];
        var useIndex = new int[steps]; // the index of step t among its model's steps
        for (int m = 0; m < problem.Models.Count; m++)
        {
            IReadOnlyList<int> uses = problem.Steps.StepsOf(m);
            for (int j = 0; j < uses.Count; j++)
            {
                useIndex[uses[j]] = j;
            }
        }

        var total = LinearExpr.NewBuilder();
        long sentIfNothingKept = 0;
        for (int i = 0; i < n; i++)
        {
            IReadOnlyList<int> uses = problem.Steps.StepsOf(problem.ModelOf[i]);
            int c = uses.Count;
            keep[i] = [.. Enumerable.Range(0, c).Select(j => model.NewBoolVar($"keep_{i}_{j}"))];
            resident[i] = c == 1 ? keep[i] : [.. Enumerable.Range(0, c).Select(j => model.NewBoolVar($"resident_{i}_{j}"))];
            for (int j = 0; j < c; j++)
            {
                int before = (j + c - 1) % c;
                if (c > 1)
                {
                    model.AddImplication(keep[i][j], resident[i][j]);
                    model.AddImplication(keep[i][before], resident[i][j]);
                }

                // Sent at this use unless it was kept through the gap before it.
                long cost = (long)Math.Round(problem.Steps.Weights[uses[j]] * WeightScale) * problem.Blocks[i].Bytes;
                sentIfNothingKept += cost;
                total.AddTerm(keep[i][before], cost);
            }
        }

        for (int t = 0; t < steps; t++)
        {
            int running = problem.Steps.Models[t];
            var memory = LinearExpr.NewBuilder();
            int largest = problem.BlocksOf(running).Max(problem.Footprint);
            IntVar streamed = model.NewIntVar(0, largest, $"streamed_{t}");
            for (int i = 0; i < n; i++)
            {
                IReadOnlyList<int> uses = problem.Steps.StepsOf(problem.ModelOf[i]);
                if (uses.Count == 0)
                {
                    continue;
                }

                int footprint = problem.Footprint(i);
                if (problem.ModelOf[i] == running)
                {
                    BoolVar r = resident[i][useIndex[t]];
                    memory.AddTerm(r, footprint);
                    model.Add(streamed + (footprint * r) >= footprint);
                }
                else
                {
                    memory.AddTerm(keep[i][GapContaining(uses, t)], footprint);
                }
            }

            memory.Add(streamed);
            model.Add(memory <= problem.Capacity);
        }

        // The hint: the whole-schedule plan (by its own ILP, in part of the time) or the greedy one, each kept
        // through further gaps greedily, whichever sends less; so CP-SAT starts from a plan at least as good
        // as one decision per block.
        TimeSpan limit = timeLimit ?? DefaultTimeLimit;
        BlockDecision[][]? start = null;
        foreach (MemoryPlan? whole in (MemoryPlan?[])[GreedyPlanner.Solve(problem), steps > 1 ? WholeScheduleIlpPlanner.Solve(problem, limit * WholeScheduleShare) : null])
        {
            if (whole is not null)
            {
                BlockDecision[][] improved = StepGreedyPlanner.Improve(problem, [.. Enumerable.Range(0, steps).Select(t => Enumerable.Range(0, n).Select(i => whole.StateAt(t, i)).ToArray())]);
                start = start is null || problem.WeightBytesPerInput(improved) < problem.WeightBytesPerInput(start) ? improved : start;
            }
        }

        for (int i = 0; i < n && start is not null; i++)
        {
            IReadOnlyList<int> uses = problem.Steps.StepsOf(problem.ModelOf[i]);
            for (int j = 0; j < uses.Count; j++)
            {
                int next = uses[(j + 1) % uses.Count];
                model.AddHint(keep[i][j], start[next][i] == BlockDecision.Resident && start[problem.Steps.Previous(next)][i] == BlockDecision.Resident);
                if (uses.Count > 1)
                {
                    model.AddHint(resident[i][j], start[uses[j]][i] == BlockDecision.Resident);
                }
            }
        }

        model.Maximize(total);
        var solver = new CpSolver
        {
            StringParameters = $"max_time_in_seconds:{Math.Max(0.05, (limit - clock.Elapsed).TotalSeconds):0.###},num_workers:1,random_seed:1",
        };
        CpSolverStatus status = solver.Solve(model);
        bool solved = status is CpSolverStatus.Optimal or CpSolverStatus.Feasible;
        if (!solved && start is null)
        {
            return null;
        }

        var states = new BlockDecision[steps][];
        for (int t = 0; t < steps && solved; t++)
        {
            states[t] = new BlockDecision[n];
            for (int i = 0; i < n; i++)
            {
                IReadOnlyList<int> uses = problem.Steps.StepsOf(problem.ModelOf[i]);
                states[t][i] = uses.Count == 0 ? BlockDecision.Evicted
                    : problem.Uses(t, i) ? (solver.BooleanValue(resident[i][useIndex[t]]) ? BlockDecision.Resident : BlockDecision.Streamed)
                    : solver.BooleanValue(keep[i][GapContaining(uses, t)]) ? BlockDecision.Resident : BlockDecision.Evicted;
            }
        }

        // CP-SAT keeps to the hint's plan only when it is complete and feasible; keep the better of the two.
        if (start is not null && (!solved || problem.WeightBytesPerInput(start) < problem.WeightBytesPerInput(states) - 1e-9))
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
