using System.Diagnostics;

namespace CoDesign.Planner.Decision;

/// <summary>
/// A greedy per-step plan: starts from a whole-schedule plan (the greedy one unless given) and keeps
/// blocks through gaps between their model's steps while every step of the gap has room and a model slot, taking first
/// the gaps that save the most link bytes per byte of memory and step. Beside the ILP as a baseline, and
/// the ILP's starting point.
/// </summary>
public static class StepGreedyPlanner
{
    /// <summary>Solver name in reports.</summary>
    public const string Name = "greedy per step";

    /// <summary>Plans <paramref name="problem"/>; null when even streaming everything does not fit.</summary>
    public static MemoryPlan? Solve(PlanningProblem problem)
    {
        var clock = Stopwatch.StartNew();
        if (GreedyPlanner.Decide(problem) is not { } start)
        {
            return null;
        }

        BlockDecision[][] states = Improve(problem, problem.EveryStep(start));
        clock.Stop();
        return new MemoryPlan(problem, states, Name, clock.Elapsed, false);
    }

    /// <summary>
    /// <paramref name="states"/> (a feasible plan) with blocks kept through further gaps where every step
    /// of the gap has room and a model slot; the states are changed in place and returned.
    /// </summary>
    public static BlockDecision[][] Improve(PlanningProblem problem, BlockDecision[][] states)
    {
        int steps = problem.Steps.Count;
        int[] resident = [.. Enumerable.Range(0, steps).Select(t => problem.ResidentBytesAt(states, t))];
        int[] held = [.. Enumerable.Range(0, steps).Select(t => problem.ResidentBlocksAt(states, t))];

        // Every gap a block is not kept through: (block, the use it follows, the use it ends at).
        var gaps = new List<(int Block, int From, int To, double Value)>();
        for (int i = 0; i < problem.Blocks.Count; i++)
        {
            IReadOnlyList<int> uses = problem.Steps.StepsOf(problem.ModelOf[i]);
            for (int j = 0; j < uses.Count; j++)
            {
                int from = uses[j], to = uses[(j + 1) % uses.Count];
                if (states[to][i] == BlockDecision.Resident && states[problem.Steps.Previous(to)][i] == BlockDecision.Resident)
                {
                    continue; // kept already
                }

                int length = ((to - from + steps - 1) % steps) + 2; // steps it would occupy, both uses included
                gaps.Add((i, from, to, problem.Steps.Weights[to] * problem.Blocks[i].Bytes / ((double)problem.Footprint(i) * Math.Min(length, steps))));
            }
        }

        foreach ((int i, int from, int to, _) in gaps.OrderByDescending(g => g.Value).ThenBy(g => g.Block))
        {
            // Kept through step t, the block must fit beside the resident ones and the largest other streamed one, in bytes and in slots.
            bool Fits(int t)
            {
                bool added = states[t][i] != BlockDecision.Resident;
                int streamed = problem.StreamedBytesAt(states, t, except: i);
                return resident[t] + (added ? problem.Footprint(i) : 0) + streamed <= problem.Capacity
                    && held[t] + (added ? 1 : 0) + (streamed > 0 ? 1 : 0) <= problem.Slots;
            }

            List<int> span = Span(steps, from, to);
            if (!span.All(Fits))
            {
                continue;
            }

            foreach (int t in span.Where(t => states[t][i] != BlockDecision.Resident))
            {
                states[t][i] = BlockDecision.Resident;
                resident[t] += problem.Footprint(i);
                held[t]++;
            }
        }

        return states;
    }

    // The steps from one use to the next, both included (the whole cycle when the model has one step).
    private static List<int> Span(int steps, int from, int to)
    {
        var span = new List<int> { from };
        for (int t = (from + 1) % steps; t != from; t = (t + 1) % steps)
        {
            span.Add(t);
            if (t == to)
            {
                break;
            }
        }

        return span;
    }
}
