namespace CoDesign.Planner.Decision;

/// <summary>
/// The eviction baseline: no plan, a cache of blocks in device memory. Requests arrive by the mix
/// (one batch each); each block a request runs is loaded when absent, evicting the least recently
/// used blocks until it fits in memory and in the device's model slots: on a long trace drawn from the mix, and on a plan's own step sequence.
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
        var cache = new Cache(problem);
        return trace.Sum(m => cache.Request(m));
    }

    /// <summary>
    /// Weight bytes per input LRU loads on the problem's own step sequence once it repeats, averaged with the
    /// steps' weights as a plan's cost is: one round warms the cache, the next <paramref name="rounds"/> are counted.
    /// </summary>
    public static double WeightBytesPerInput(PlanningProblem problem, int rounds = 3)
    {
        var cache = new Cache(problem);
        StepSequenceRounds(problem, 1, (_, m) => cache.Request(m));
        double bytes = 0;
        StepSequenceRounds(problem, rounds, (t, m) => bytes += problem.Steps.Weights[t] * cache.Request(m));
        return bytes / rounds / problem.Batch;
    }

    private static void StepSequenceRounds(PlanningProblem problem, int rounds, Action<int, int> step)
    {
        for (int round = 0; round < rounds; round++)
        {
            for (int t = 0; t < problem.Steps.Count; t++)
            {
                step(t, problem.Steps.Models[t]);
            }
        }
    }

    // Blocks in device memory, least recently used first.
    private sealed class Cache(PlanningProblem problem)
    {
        private readonly LinkedList<int> _order = new();
        private readonly Dictionary<int, LinkedListNode<int>> _nodes = [];
        private int _used;

        // Runs one request of model m; returns the weight bytes it loaded.
        public long Request(int m)
        {
            long loaded = 0;
            foreach (int i in problem.BlocksOf(m))
            {
                if (_nodes.Remove(i, out LinkedListNode<int>? hit))
                {
                    _order.Remove(hit);
                }
                else
                {
                    while (_used + problem.Footprint(i) > problem.Capacity || _nodes.Count + 1 > problem.Slots)
                    {
                        int victim = _order.First!.Value;
                        _order.RemoveFirst();
                        _nodes.Remove(victim);
                        _used -= problem.Footprint(victim);
                    }

                    _used += problem.Footprint(i);
                    loaded += problem.Blocks[i].Bytes;
                }

                _nodes[i] = _order.AddLast(i);
            }

            return loaded;
        }
    }
}
