namespace CoDesign.Planner.Decision;

/// <summary>
/// The eviction baseline: no plan, a cache of blocks in device memory. Requests arrive by the mix
/// (one batch each); each block a request runs is loaded when absent, evicting the least recently
/// used blocks until it fits. Also replays a plan on the same requests, so both are counted alike.
/// </summary>
public static class LruBaseline
{
    /// <summary>
    /// <paramref name="requests"/> requests drawn from the mix with <paramref name="seed"/>: indices
    /// into <see cref="PlanningProblem.Models"/>.
    /// </summary>
    public static int[] Trace(PlanningProblem problem, int requests, int seed)
    {
        var random = new Random(seed);
        double[] shares = [.. problem.Models.Select(m => problem.Mix.ShareOf(m.Name))];
        var trace = new int[requests];
        for (int r = 0; r < requests; r++)
        {
            double u = random.NextDouble() * shares.Sum();
            int m = 0;
            while (m < shares.Length - 1 && (u -= shares[m]) >= 0)
            {
                m++;
            }

            trace[r] = m;
        }

        return trace;
    }

    /// <summary>Weight bytes LRU loads over <paramref name="trace"/>, first loads included.</summary>
    public static long WeightBytes(PlanningProblem problem, IReadOnlyList<int> trace)
    {
        var order = new LinkedList<int>();
        var nodes = new Dictionary<int, LinkedListNode<int>>();
        int used = 0;
        long loaded = 0;
        int[][] blocksOf = BlocksByModel(problem);
        foreach (int m in trace)
        {
            foreach (int i in blocksOf[m])
            {
                if (nodes.Remove(i, out LinkedListNode<int>? hit))
                {
                    order.Remove(hit);
                }
                else
                {
                    while (used + problem.Footprint(i) > problem.Capacity)
                    {
                        int victim = order.First!.Value;
                        order.RemoveFirst();
                        nodes.Remove(victim);
                        used -= problem.Footprint(victim);
                    }

                    used += problem.Footprint(i);
                    loaded += problem.Blocks[i].Bytes;
                }

                nodes[i] = order.AddLast(i);
            }
        }

        return loaded;
    }

    /// <summary>Weight bytes <paramref name="plan"/> sends over <paramref name="trace"/>: its resident blocks once, its streamed blocks per request.</summary>
    public static long WeightBytes(MemoryPlan plan, IReadOnlyList<int> trace)
    {
        PlanningProblem problem = plan.Problem;
        int[][] blocksOf = BlocksByModel(problem);
        long total = Enumerable.Range(0, problem.Blocks.Count).Where(i => plan.Decisions[i] == BlockDecision.Resident).Sum(i => (long)problem.Blocks[i].Bytes);
        foreach (int m in trace)
        {
            total += blocksOf[m].Where(i => plan.Decisions[i] == BlockDecision.Streamed).Sum(i => (long)problem.Blocks[i].Bytes);
        }

        return total;
    }

    private static int[][] BlocksByModel(PlanningProblem problem) =>
        [.. Enumerable.Range(0, problem.Models.Count).Select(m => Enumerable.Range(0, problem.Blocks.Count).Where(i => problem.ModelOf[i] == m).ToArray())];
}
