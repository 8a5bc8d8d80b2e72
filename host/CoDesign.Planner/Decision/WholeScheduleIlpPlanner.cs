using System.Diagnostics;
using Google.OrTools.Sat;

namespace CoDesign.Planner.Decision;

/// <summary>
/// The first decision module, kept as the anchor the per-step <see cref="IlpPlanner"/> is measured against:
/// an integer linear program, solved by OR-Tools' CP-SAT, with one binary per block
/// that its model's requests use says resident (kept at every step) or streamed (sent before its step
/// in each batch); blocks of models the mix never requests are evicted. An integer S is the memory the
/// streamed block of a step takes, at least every streamed block's footprint; at every step the
/// resident blocks and S fit the device, and they and the streamed block its model slots. It minimises the weight bytes (so link time) per input:
/// the sum over streamed blocks of share x bytes / batch. O(blocks) variables and constraints, unlike
/// Checkmate's O(n^2), so 500 blocks solve in well under a second. It cannot keep a block for some steps
/// and drop it for others.
/// </summary>
public static class WholeScheduleIlpPlanner
{
    /// <summary>Solver name in reports.</summary>
    public const string Name = "ILP, whole schedule";

    /// <summary>
    /// Solves <paramref name="problem"/>; null when no plan exists (a block larger than the device
    /// beside nothing else). Stops at <paramref name="timeLimit"/> (10 s unless given) with the best
    /// plan found, which <see cref="MemoryPlan.Optimal"/> then says is not proven optimal.
    /// </summary>
    public static MemoryPlan? Solve(PlanningProblem problem, TimeSpan? timeLimit = null)
    {
        var clock = Stopwatch.StartNew();
        int n = problem.Blocks.Count;
        var model = new CpModel();
        var resident = new BoolVar?[n];
        int largest = 0;
        for (int i = 0; i < n; i++)
        {
            if (problem.ShareOf(i) > 0)
            {
                resident[i] = model.NewBoolVar($"resident_{i}");
                largest = Math.Max(largest, problem.Footprint(i));
            }
        }

        IntVar streamed = model.NewIntVar(0, largest, "streamed_step_bytes");
        var memory = LinearExpr.NewBuilder();
        var saved = LinearExpr.NewBuilder();
        for (int i = 0; i < n; i++)
        {
            if (resident[i] is not { } r)
            {
                continue;
            }

            int footprint = problem.Footprint(i);

            // S >= footprint * (1 - r): a streamed block needs its own room at its step.
            model.Add(streamed + (footprint * r) >= footprint);
            memory.AddTerm(r, footprint);

            // Weight bytes saved per input by keeping it, in millionths of a request share.
            saved.AddTerm(r, (long)Math.Round(problem.ShareOf(i) * 1_000_000) * problem.Blocks[i].Bytes);
        }

        // The greedy plan as a hint: CP-SAT starts from a good feasible point and spends its time on the proof.
        if (GreedyPlanner.Decide(problem) is { } start)
        {
            for (int i = 0; i < n; i++)
            {
                if (resident[i] is { } r)
                {
                    model.AddHint(r, start[i] == BlockDecision.Resident);
                }
            }
        }

        memory.Add(streamed);
        model.Add(memory <= problem.Capacity);

        // Model slots: the resident blocks, and one while a streamed block of the step's model runs.
        if (problem.Slots < n + 1)
        {
            var held = LinearExpr.Sum(resident.OfType<BoolVar>());
            for (int m = 0; m < problem.Models.Count; m++)
            {
                BoolVar?[] own = [.. problem.BlocksOf(m).Select(i => resident[i]).Where(r => r is not null)];
                if (own.Length > 0)
                {
                    BoolVar streams = model.NewBoolVar($"streams_{m}");
                    foreach (BoolVar r in own.OfType<BoolVar>())
                    {
                        model.AddBoolOr([streams, r]);
                    }

                    model.Add(held + streams <= problem.Slots);
                }
            }
        }
        model.Maximize(saved);

        var solver = new CpSolver
        {
            StringParameters = $"max_time_in_seconds:{(timeLimit ?? TimeSpan.FromSeconds(10)).TotalSeconds:0.###},num_workers:1,random_seed:1",
        };
        CpSolverStatus status = solver.Solve(model);
        if (status is not (CpSolverStatus.Optimal or CpSolverStatus.Feasible))
        {
            return null;
        }

        var decisions = new BlockDecision[n];
        for (int i = 0; i < n; i++)
        {
            decisions[i] = resident[i] is not { } r ? BlockDecision.Evicted : solver.BooleanValue(r) ? BlockDecision.Resident : BlockDecision.Streamed;
        }

        clock.Stop();
        return MemoryPlan.WholeSchedule(problem, decisions, Name, clock.Elapsed, status == CpSolverStatus.Optimal);
    }
}
