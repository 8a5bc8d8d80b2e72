using System.Diagnostics;
using CoDesign.Hardware;
using CoDesign.Model;
using CoDesign.Planner.Decision;
using CoDesign.Planner.Execution;
using CoDesign.Planner.Profile;
using CoDesign.Runtime;
using CoDesign.Runtime.Devices;
using CoDesign.TestSupport;

namespace CoDesign.Benchmarks.Planner;

/// <summary>
/// <c>--planner</c>: the memory planner's ILP beside the greedy baseline and LRU eviction, in one run.
/// (1) Solve time and link bytes at about 500 column blocks. (2) Eight models of about the shipped
/// model's size on the iCEBreaker's profile (128 KiB) under a skewed (Zipf) request mix: weight bytes
/// per image over one request trace for LRU, greedy and the ILP, and the ILP plan carried out on
/// the emulator for part of the trace, its link bytes measured and its outputs checked.
/// </summary>
public static class PlannerBenchmark
{
    public static int Run(string[] args)
    {
        int requests = args.Length > 0 && int.TryParse(args[0], out int r) ? r : 5000;
        SolveTimeAt500Blocks();
        return EightModelsUnderASkewedMix(requests);
    }

    private static void SolveTimeAt500Blocks()
    {
        DeviceProfile device = Board.IceBreaker.Profile;
        ModelProfile[] models = [.. Enumerable.Range(0, 10).Select(i => ModelProfile.Measure(
            RandomSparseModel.Create(500 + i, [784, 192 + (16 * i), 96, 10], 0.1, name: $"m{i}"), device, 1800))];
        var mix = RequestMix.FromWeights(models.Select((m, i) => (m.Name, 1.0 / (i + 1))).ToDictionary(p => p.Name, p => p.Item2));
        var problem = new PlanningProblem(models, device, mix, 16);
        Console.WriteLine($"== solve time: {problem.Blocks.Count} column blocks of {models.Length} models, {models.Sum(m => m.Bytes):N0} bytes, on {device.Name} ({device.PersistentBytes:N0} bytes), batch {problem.Batch}");
        var ilp = new List<MemoryPlan>();
        var greedy = new List<MemoryPlan>();
        for (int round = 0; round < 5; round++)
        {
            ilp.Add(IlpPlanner.Solve(problem)!);
            greedy.Add(GreedyPlanner.Solve(problem)!);
        }

        MemoryPlan best = ilp[0];
        Console.WriteLine($"   ILP (CP-SAT): median {Median(ilp.Select(p => p.SolveTime.TotalMilliseconds)):0.#} ms over 5 solves (max {ilp.Max(p => p.SolveTime.TotalMilliseconds):0.#}), optimal {ilp.All(p => p.Optimal)}, " +
            $"{best.StreamedBytesPerInput:N1} streamed weight bytes per image");
        Console.WriteLine($"   greedy:       median {Median(greedy.Select(p => p.SolveTime.TotalMilliseconds)):0.#} ms, {greedy[0].StreamedBytesPerInput:N1} streamed weight bytes per image " +
            $"({greedy[0].StreamedBytesPerInput / best.StreamedBytesPerInput:0.000}x the ILP's)");
    }

    private static int EightModelsUnderASkewedMix(int requests)
    {
        DeviceProfile device = Board.IceBreaker.Profile;
        SparseModel[] models = [.. Enumerable.Range(0, 8).Select(i => RandomSparseModel.Create(800 + i, [784, 224 + (16 * i), 128, 10], 0.09, name: $"model{i}"))];
        ModelProfile[] profiles = [.. models.Select(m => ModelProfile.Measure(m, device, 2048))];

        // Zipf, s = 1: the k-th most requested model gets a share proportional to 1 / k.
        var mix = RequestMix.FromWeights(profiles.Select((m, i) => (m.Name, 1.0 / (i + 1))).ToDictionary(p => p.Name, p => p.Item2));
        var problem = new PlanningProblem(profiles, device, mix, 16);
        MemoryPlan ilp = IlpPlanner.Solve(problem)!;
        MemoryPlan greedy = GreedyPlanner.Solve(problem)!;
        int[] trace = LruBaseline.Trace(problem, requests, 12);
        long images = (long)requests * problem.Batch;
        double lru = LruBaseline.WeightBytes(problem, trace) / (double)images;
        double ilpBytes = LruBaseline.WeightBytes(ilp, trace) / (double)images;
        double greedyBytes = LruBaseline.WeightBytes(greedy, trace) / (double)images;
        Console.WriteLine($"== 8 models ({profiles.Sum(m => m.Bytes):N0} bytes in {problem.Blocks.Count} blocks) on {device.Name} ({device.PersistentBytes:N0} bytes), Zipf mix " +
            $"{string.Join(" ", profiles.Select(m => $"{mix.ShareOf(m.Name):0.###}"))}, batch {problem.Batch}, {requests:N0} requests ({images:N0} images)");
        Console.WriteLine($"   weight bytes per image, counted over the trace (first loads included):");
        Console.WriteLine($"   LRU eviction of blocks: {lru,10:N1}");
        Console.WriteLine($"   greedy plan:            {greedyBytes,10:N1}  ({1 - (greedyBytes / lru):P1} fewer than LRU), solved in {greedy.SolveTime.TotalMilliseconds:0.#} ms");
        Console.WriteLine($"   ILP plan:               {ilpBytes,10:N1}  ({1 - (ilpBytes / lru):P1} fewer than LRU; goal >= 30 %), solved in {ilp.SolveTime.TotalMilliseconds:0.#} ms, optimal {ilp.Optimal}");

        // The ILP plan carried out on the emulator for the first requests of the trace, every output checked.
        int executed = Math.Min(requests, 60);
        using ConnectedDevice emulator = HardwareDevices.Registry.Open("emulator:icebreaker");
        var clock = Stopwatch.StartNew();
        long before = emulator.Session.Link.BytesSent + emulator.Session.Link.BytesReceived;
        using PlannedDeployment deployment = PlannedDeployment.Deploy(emulator.Session, ilp);
        long deployBytes = emulator.Session.Link.BytesSent + emulator.Session.Link.BytesReceived - before;
        int mismatches = 0;
        long runBytes = 0;
        for (int q = 0; q < executed; q++)
        {
            ModelProfile model = profiles[trace[q]];
            byte[] inputs = RandomSparseModel.Inputs(q, problem.Batch, model.Model.InputSize);
            Runtime.Deploy.InferenceResult result = deployment.Infer(model, inputs, problem.Batch);
            runBytes += result.LinkBytes;
            var reference = new DenseIntegerReference(model.Model);
            for (int i = 0; i < problem.Batch; i++)
            {
                mismatches += reference.Forward(inputs.AsSpan(i * model.Model.InputSize, model.Model.InputSize)).AsSpan().SequenceEqual(result.OutputsOf(i)) ? 0 : 1;
            }
        }

        Console.WriteLine($"   ILP plan on the emulator, first {executed} requests ({executed * problem.Batch} images): deploy of the resident blocks {deployBytes:N0} link bytes, then " +
            $"{runBytes / (double)(executed * problem.Batch):N0} link bytes per image (streamed blocks with their descriptors, commits and unloads, inputs, Runs); " +
            $"{(mismatches == 0 ? "every output bit-exact" : $"{mismatches} images differ from the reference")}; {clock.Elapsed.TotalSeconds:0.0} s");
        return mismatches == 0 ? 0 : 1;
    }

    private static double Median(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
