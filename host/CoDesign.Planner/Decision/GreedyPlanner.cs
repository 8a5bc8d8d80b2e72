using System.Diagnostics;

namespace CoDesign.Planner.Decision;

/// <summary>
/// The baseline beside the ILP: blocks kept resident in order of link bytes saved per byte of memory
/// (share x bytes / footprint, so by request share), each taken while the resident blocks and the
/// largest block still streamed fit the device, and its model slots.
/// </summary>
public static class GreedyPlanner
{
    /// <summary>Solver name in reports.</summary>
    public const string Name = "greedy";

    /// <summary>Plans <paramref name="problem"/>; null when even streaming everything does not fit.</summary>
    public static MemoryPlan? Solve(PlanningProblem problem)
    {
        var clock = Stopwatch.StartNew();
        BlockDecision[]? decisions = Decide(problem);
        clock.Stop();
        return decisions is null ? null : MemoryPlan.WholeSchedule(problem, decisions, Name, clock.Elapsed, false);
    }

    /// <summary>The greedy decision per block for the whole schedule; null when even streaming everything does not fit.</summary>
    public static BlockDecision[]? Decide(PlanningProblem problem)
    {
        int n = problem.Blocks.Count;
        var decisions = new BlockDecision[n];
        var streamed = new List<int>();
        for (int i = 0; i < n; i++)
        {
            decisions[i] = problem.ShareOf(i) > 0 ? BlockDecision.Streamed : BlockDecision.Evicted;
            if (decisions[i] == BlockDecision.Streamed)
            {
                streamed.Add(i);
            }
        }

        if (streamed.Count > 0 && streamed.Max(problem.Footprint) > problem.Capacity)
        {
            return null;
        }

        // Streamed footprints, largest first, to find the largest one left cheaply.
        var bySize = streamed.OrderByDescending(problem.Footprint).ToList();
        int resident = 0, count = 0;
        foreach (int i in streamed.OrderByDescending(i => problem.ShareOf(i) * problem.Blocks[i].Bytes / problem.Footprint(i)).ThenBy(i => i))
        {
            int footprint = problem.Footprint(i);
            int largestLeft = bySize.Where(j => j != i).Select(problem.Footprint).FirstOrDefault();
            int slotsAfter = count + 1 + (bySize.Count > 1 ? 1 : 0); // and one for a streamed block while any is left
            if (resident + footprint + largestLeft <= problem.Capacity && slotsAfter <= problem.Slots)
            {
                decisions[i] = BlockDecision.Resident;
                resident += footprint;
                count++;
                bySize.Remove(i);
            }
        }

        return decisions;
    }
}
