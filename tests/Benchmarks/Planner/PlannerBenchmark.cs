using System.Diagnostics;
using CoDesign.Hardware;
using CoDesign.Model;
using CoDesign.Planner.Decision;
using CoDesign.Planner.Execution;
using CoDesign.Planner.Profile;
using CoDesign.Runtime;
using CoDesign.Runtime.Devices;
using CoDesign.Runtime.Devices.Emulator;
using CoDesign.TestSupport;

namespace CoDesign.Benchmarks.Planner;

/// <summary>
/// <c>--planner</c>: the memory planner's per-step ILP beside the whole-schedule ILP, the greedy plans and
/// LRU eviction, in one run, all on the same step sequence. (1) Solve times and weight bytes per image at
/// about 500 column blocks, and over the horizon. (2) Eight models of about the shipped model's size on the
/// iCEBreaker's profile (128 KiB) under a skewed (Zipf) request mix: weight bytes per image on the plan's
/// steps and over a long request trace it was not solved for, and the per-step plan carried out on the
/// emulator for part of the trace, its link bytes measured and its outputs checked. (3) Where residency
/// per step beats one decision per block: the same models on smaller memories, and models of more than
/// half the memory each. (4) Layers whose sums pass the boards' scratch, run in row blocks.
/// </summary>
public static class PlannerBenchmark
{
    public static int Run(string[] args)
    {
        int requests = args.Length > 0 && int.TryParse(args[0], out int r) ? r : 5000;
        SolveTimeAt500Blocks();
        int exit = EightModelsUnderASkewedMix(requests);
        SmallerMemories();
        ModelsLargerThanHalfTheDevice();
        LayersWiderThanTheScratch();
        return exit;
    }

    // The iCEBreaker's 128 KiB without its build's limit of 255 registered models (Hello byte 31): these measure how the
    // planners use memory. The 16 slots of the HX8K's build, and fewer than the iCEBreaker's, are measured apart.
    // Its scratch stays the 4 KiB these were measured with (the build's Hello now reports 2 KiB, since it runs column blocks).
    private static DeviceProfile IceBreakerMemory => Board.IceBreaker.Profile with { ModelSlots = 0, ScratchBytes = 4096 };

    private static readonly (string Name, Func<PlanningProblem, MemoryPlan?> Solve)[] Solvers =
    [
        (IlpPlanner.Name, p => IlpPlanner.Solve(p)),
        (WholeScheduleIlpPlanner.Name, p => WholeScheduleIlpPlanner.Solve(p)),
        (StepGreedyPlanner.Name, StepGreedyPlanner.Solve),
        (GreedyPlanner.Name, GreedyPlanner.Solve),
    ];

    private static void SolveTimeAt500Blocks()
    {
        DeviceProfile device = IceBreakerMemory;
        ModelProfile[] models = [.. Enumerable.Range(0, 10).Select(i => ModelProfile.Measure(
            RandomSparseModel.Create(500 + i, [784, 192 + (16 * i), 96, 10], 0.1, name: $"m{i}"), device, 1800))];
        var problem = new PlanningProblem(models, device, PlannerWorkload.Zipf(models), 16);
        Console.WriteLine($"== solve time: {problem.Blocks.Count} column blocks of {models.Length} models, {models.Sum(m => m.Bytes):N0} bytes, on {device.Name} ({device.PersistentBytes:N0} bytes), " +
            $"batch {problem.Batch}, Zipf mix, {problem.Steps.Count} steps; weight bytes per image on those steps");
        var runs = new Dictionary<string, List<MemoryPlan>>();
        for (int round = 0; round < 5; round++)
        {
            foreach ((string name, Func<PlanningProblem, MemoryPlan?> solve) in Solvers)
            {
                MemoryPlan plan = solve(problem) ?? throw new InvalidOperationException($"{name} found no plan");
                runs.TryAdd(plan.Solver, []);
                runs[plan.Solver].Add(plan);
            }
        }

        double lru = LruBaseline.WeightBytesPerInput(problem);
        double perStep = runs[IlpPlanner.Name][0].WeightBytesPerInput;
        foreach ((string solver, List<MemoryPlan> plans) in runs)
        {
            MemoryPlan p = plans[0];
            Console.WriteLine($"   {solver,-20} median {Median(plans.Select(q => q.SolveTime.TotalMilliseconds)),7:0.#} ms (max {plans.Max(q => q.SolveTime.TotalMilliseconds),7:0.#}) over 5 solves, " +
                $"{p.WeightBytesPerInput,9:N1} bytes/image ({p.WeightBytesPerInput / perStep:0.000}x the per-step ILP's)" +
                (p.Optimal ? ", optimal" : p.LowerBound is { } b ? $", not proven optimal: at most {(p.WeightBytesPerInput / b) - 1:P1} above optimal" : p.Solver == IlpPlanner.Name ? ", not proven optimal, no bound in the time" : ""));
        }

        Console.WriteLine($"   {"LRU on the same steps",-20} {lru,37:N1} bytes/image ({lru / perStep:0.000}x)");

        // A device that registers 16 models (the HX8K's build): at most 15 blocks resident beside a streamed one.
        var slotted = new PlanningProblem(models, device, PlannerWorkload.Zipf(models), 16, slots: 16);
        MemoryPlan withSlots = IlpPlanner.Solve(slotted)!;
        Console.WriteLine($"   with 16 model slots: per-step ILP {withSlots.SolveTime.TotalMilliseconds:0} ms, {withSlots.WeightBytesPerInput:N1} bytes/image, at most {withSlots.PeakSlots} slots at a step" +
            $" (whole schedule {WholeScheduleIlpPlanner.Solve(slotted)!.WeightBytesPerInput:N1}, greedy per step {StepGreedyPlanner.Solve(slotted)!.WeightBytesPerInput:N1}, LRU {LruBaseline.WeightBytesPerInput(slotted):N1})" +
            (withSlots.Optimal ? ", optimal" : withSlots.LowerBound is { } sb ? $", at most {(withSlots.WeightBytesPerInput / sb) - 1:P1} above optimal" : ", not proven optimal, no bound in the time"));

        // The horizon bounds the ILP's size: blocks x steps of their own model.
        foreach (int horizon in (int[])[12, 24, 48])
        {
            var longer = new PlanningProblem(models, device, PlannerWorkload.Zipf(models), 16, horizon: horizon);
            MemoryPlan p = IlpPlanner.Solve(longer)!;
            MemoryPlan whole = WholeScheduleIlpPlanner.Solve(longer)!;
            Console.WriteLine($"   horizon {horizon,2} steps: per-step ILP {p.SolveTime.TotalMilliseconds:0} ms, {p.WeightBytesPerInput:N1} bytes/image " +
                $"(whole schedule {whole.WeightBytesPerInput:N1}, LRU {LruBaseline.WeightBytesPerInput(longer):N1})" +
                (p.Optimal ? ", optimal" : p.LowerBound is { } b ? $", at most {(p.WeightBytesPerInput / b) - 1:P1} above optimal" : ", not proven optimal, no bound in the time"));
        }
    }

    private static int EightModelsUnderASkewedMix(int requests)
    {
        DeviceProfile device = IceBreakerMemory;
        ModelProfile[] profiles = PlannerWorkload.EightModels(device);
        var mix = PlannerWorkload.Zipf(profiles);
        var problem = new PlanningProblem(profiles, device, mix, 16);
        MemoryPlan ilp = IlpPlanner.Solve(problem)!;
        MemoryPlan[] plans = [ilp, .. Solvers.Skip(1).Select(s => s.Solve(problem) ?? throw new InvalidOperationException($"{s.Name} found no plan"))];
        int[] trace = LruBaseline.Trace(problem, requests, 12);
        long images = (long)requests * problem.Batch;
        double lruSteps = LruBaseline.WeightBytesPerInput(problem);
        double lruTrace = LruBytes(problem, trace);
        Console.WriteLine($"== 8 models ({profiles.Sum(m => m.Bytes):N0} bytes in {problem.Blocks.Count} blocks) on {device.Name} ({device.PersistentBytes:N0} bytes), Zipf mix " +
            $"{string.Join(" ", profiles.Select(m => $"{mix.ShareOf(m.Name):0.###}"))}, batch {problem.Batch}; {problem.Steps.Count} steps; a trace of {requests:N0} requests ({images:N0} images) drawn apart");
        Console.WriteLine($"   weight bytes per image:     on the plan's steps    over the trace (first loads included)");
        Console.WriteLine($"   {"LRU eviction of blocks",-24} {lruSteps,10:N1}             {lruTrace,10:N1}");
        foreach (MemoryPlan p in plans)
        {
            double onTrace = PlanBytes(problem, p, trace);
            Console.WriteLine($"   {p.Solver,-24} {p.WeightBytesPerInput,10:N1} ({1 - (p.WeightBytesPerInput / lruSteps),6:P1})  {onTrace,10:N1} ({1 - (onTrace / lruTrace),6:P1} fewer than LRU; goal >= 30 %), " +
                $"solved in {p.SolveTime.TotalMilliseconds:0.#} ms{(p.Optimal ? ", optimal" : "")}");
        }

        // The plan infer and PlannedSession carry out: both ILPs, chosen by replay over traces of their own (other seeds than this one).
        PlanChoice choice = IndependentRequestPlanner.Solve(problem)!;
        MemoryPlan carried = choice.Plan;
        double carriedOnTrace = PlanBytes(problem, carried, trace);
        Console.WriteLine($"   carried out (both ILPs, chosen by replay over {IndependentRequestPlanner.Traces} traces of their own): the {carried.Solver} plan, {choice.ReplayedBytesPerInput:N1} replayed against {choice.OtherReplayedBytesPerInput:N1}; " +
            $"over this trace {carriedOnTrace:N1} ({1 - (carriedOnTrace / lruTrace):P1} fewer than LRU; goal >= 30 %); chosen in {choice.SolveTime.TotalMilliseconds:0.#} ms");

        // The same with the iCEBreaker build's 255 model slots (Hello byte 31), which bind LRU as they bind a plan, and with
        // fewer, as a build with a smaller model table has (2 before the table moved into block RAM; 16 on the HX8K).
        foreach (int slots in (int[])[2, 16, 32, 64, 128, Board.IceBreaker.ModelSlots])
        {
            var slotted = new PlanningProblem(profiles, device, mix, 16, slots: slots);
            PlanChoice slottedChoice = IndependentRequestPlanner.Solve(slotted)!;
            double slottedLru = LruBytes(slotted, trace);
            double slottedPlan = PlanBytes(slotted, slottedChoice.Plan, trace);
            Console.WriteLine($"   with {slots,2} model slots{(slots == Board.IceBreaker.ModelSlots ? " (the build's)" : "")}: carried out the {slottedChoice.Plan.Solver} plan, over this trace {slottedPlan,9:N1} against LRU with as many slots {slottedLru,9:N1} " +
                $"({1 - (slottedPlan / slottedLru),6:P1} fewer; goal >= 30 %); chosen in {slottedChoice.SolveTime.TotalMilliseconds:0.#} ms");
        }

        // And the build's own profile as its Hello reports it: 255 model slots and 2 KiB of scratch (which makes the batch
        // 1), the blocks infer and plan measure for it, LRU over the same blocks and slots.
        DeviceProfile build = Board.IceBreaker.Profile;
        ModelProfile[] onBuild = PlannerWorkload.EightModels(build, ModelProfile.DefaultBlockBytes(build));
        var buildProblem = new PlanningProblem(onBuild, build, PlannerWorkload.Zipf(onBuild), 16);
        PlanChoice buildChoice = IndependentRequestPlanner.Solve(buildProblem)!;
        int[] buildTrace = LruBaseline.Trace(buildProblem, requests, 12);
        double buildPlan = PlanBytes(buildProblem, buildChoice.Plan, buildTrace);
        double buildLru = LruBytes(buildProblem, buildTrace);
        double buildGreedy = PlanBytes(buildProblem, GreedyPlanner.Solve(buildProblem) ?? throw new InvalidOperationException("greedy found no plan"), buildTrace);
        Console.WriteLine($"   the build's own profile ({build.ModelSlots} slots, {build.ScratchBytes:N0} bytes of scratch: batch {buildProblem.Batch}; {buildProblem.Blocks.Count} blocks): the {buildChoice.Plan.Solver} plan " +
            $"{buildPlan:N1} bytes/image over a trace of its own against LRU {buildLru:N1} ({1 - (buildPlan / buildLru):P1} fewer; goal >= 30 %); the greedy plan {buildGreedy:N1} ({1 - (buildGreedy / buildLru):P1} fewer)");

        // The chosen plan carried out on the emulator for the first requests of the trace, every output checked.
        int executed = Math.Min(requests, 60);
        using ConnectedDevice emulator = LinkServer.Connect(new EmulatorEngine(device, costModel: Board.IceBreaker.Engine), "emulator:icebreaker");
        var clock = Stopwatch.StartNew();
        using PlannedDeployment deployment = PlannedDeployment.Deploy(emulator.Session, carried);
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

        Console.WriteLine($"   the {carried.Solver} plan on the emulator, first {executed} requests ({executed * problem.Batch} images) from an empty device: " +
            $"{runBytes / (double)(executed * problem.Batch):N0} link bytes per image (blocks with their descriptors, commits and unloads, inputs, Runs); " +
            $"{deployment.LoadedBlocks} loads, {deployment.StreamedBlocks} blocks streamed, {deployment.Evictions} evictions, {deployment.Compactions} compactions, peak {deployment.PeakBytes:N0} bytes (plan {carried.PeakBytes:N0}); " +
            $"{(mismatches == 0 ? "every output bit-exact" : $"{mismatches} images differ from the reference")}; {clock.Elapsed.TotalSeconds:0.0} s");
        return mismatches == 0 ? 0 : 1;
    }

    private static void SmallerMemories()
    {
        DeviceProfile device = IceBreakerMemory;
        ModelProfile[] profiles = PlannerWorkload.EightModels(device);
        Console.WriteLine("== where residency per step beats one decision per block: the 8 models and Zipf mix on less memory (weight bytes per image on the plan's steps)");
        foreach (int kib in (int[])[128, 96, 64, 48, 32])
        {
            var problem = new PlanningProblem(profiles, device, PlannerWorkload.Zipf(profiles), 16, capacity: kib * 1024);
            MemoryPlan perStep = IlpPlanner.Solve(problem)!;
            MemoryPlan whole = WholeScheduleIlpPlanner.Solve(problem)!;
            MemoryPlan greedy = StepGreedyPlanner.Solve(problem)!;
            double lru = LruBaseline.WeightBytesPerInput(problem);
            int some = Enumerable.Range(0, problem.Blocks.Count).Count(i => perStep.KindOf(i) == ResidencyKind.SomeSteps);
            Console.WriteLine($"   {kib,3} KiB: per-step ILP {perStep.WeightBytesPerInput,9:N1} ({1 - (perStep.WeightBytesPerInput / whole.WeightBytesPerInput),6:P1} fewer than the whole-schedule ILP's {whole.WeightBytesPerInput,9:N1}; " +
                $"{some} blocks resident at some steps only), greedy per step {greedy.WeightBytesPerInput,9:N1}, LRU {lru,9:N1}; solved in {perStep.SolveTime.TotalMilliseconds:0} ms");
        }
    }

    private static void ModelsLargerThanHalfTheDevice()
    {
        DeviceProfile device = IceBreakerMemory;
        ModelProfile[] all = PlannerWorkload.EightModels(device);
        Console.WriteLine("== where residency per step beats one decision per block: models of about 60 % of the memory each, equally often, so one decision per block keeps one of them (weight bytes per image on the plan's steps)");
        foreach (int count in (int[])[2, 3, 4])
        {
            ModelProfile[] models = all[..count];
            int capacity = (int)(models.Max(m => m.Bytes) * 10 / 6) / 8 * 8;
            foreach (int seed in (int[])[1, 2])
            {
                var problem = new PlanningProblem(models, device, RequestMix.Uniform(models.Select(m => m.Name)), 16, capacity: capacity, seed: seed);
                MemoryPlan perStep = IlpPlanner.Solve(problem)!;
                MemoryPlan whole = WholeScheduleIlpPlanner.Solve(problem)!;
                MemoryPlan greedy = StepGreedyPlanner.Solve(problem)!;
                int some = Enumerable.Range(0, problem.Blocks.Count).Count(i => perStep.KindOf(i) == ResidencyKind.SomeSteps);
                Console.WriteLine($"   {count} models on {capacity:N0} bytes, steps {string.Concat(problem.Steps.Models.Select(m => (char)('a' + m)))}: per-step ILP {perStep.WeightBytesPerInput,9:N1} " +
                    $"({1 - (perStep.WeightBytesPerInput / whole.WeightBytesPerInput),6:P1} fewer than the whole-schedule ILP's {whole.WeightBytesPerInput,9:N1}; {some} blocks resident at some steps only), " +
                    $"greedy per step {greedy.WeightBytesPerInput,9:N1}, LRU {LruBaseline.WeightBytesPerInput(problem),9:N1}; solved in {perStep.SolveTime.TotalMilliseconds:0} ms{(perStep.Optimal ? ", optimal" : "")}");
                PlanChoice choice = IndependentRequestPlanner.Solve(problem)!;
                double lruReplayed = IndependentRequestPlanner.PerInput(problem, IndependentRequestPlanner.ReplayTraces(problem), trace => LruBaseline.WeightBytes(problem, trace));
                Console.WriteLine($"      over independent requests (replayed): carried out the {choice.Plan.Solver} plan, {choice.ReplayedBytesPerInput:N1} against {choice.OtherReplayedBytesPerInput:N1}; LRU {lruReplayed:N1}");
                if (seed == 1)
                {
                    // Beyond the 1 s goal: what CP-SAT finds per step when given the time.
                    MemoryPlan longer = IlpPlanner.Solve(problem, TimeSpan.FromSeconds(10))!;
                    Console.WriteLine($"      with 10 s: per-step ILP {longer.WeightBytesPerInput,9:N1} ({1 - (longer.WeightBytesPerInput / whole.WeightBytesPerInput),6:P1} fewer than the whole-schedule ILP's; " +
                        $"{Enumerable.Range(0, problem.Blocks.Count).Count(i => longer.KindOf(i) == ResidencyKind.SomeSteps)} blocks resident at some steps only), {longer.SolveTime.TotalSeconds:0.0} s" +
                        (longer.Optimal ? ", optimal" : longer.LowerBound is { } b ? $", at most {(longer.WeightBytesPerInput / b) - 1:P1} above optimal" : ", no bound"));
                }
            }
        }
    }

    // Hidden layers whose sums for one image pass the builds' 2 KiB of scratch (stop 25 refused these models):
    // the layer runs in row blocks, its outputs through the host. Plan and link costs on the builds' profiles,
    // and the plan carried out on each board's emulator against the integer reference.
    private static void LayersWiderThanTheScratch()
    {
        Console.WriteLine("== layers wider than the scratch: 784-512-10 and 784-1024-10 (densities 0.45 and 0.25), row blocks sent to the host; weight and link bytes per image, batch 1");
        foreach (Board board in (Board[])[Board.Hx8kBreakout, Board.IceBreaker])
        {
            foreach ((int hidden, double density) in ((int, double)[])[(512, 0.45), (1024, 0.25)])
            {
                SparseModel model = RandomSparseModel.Create(600 + hidden, [784, hidden, 10], density, name: $"w{hidden}");
                DeviceProfile device = board.Profile;
                var watch = Stopwatch.StartNew();
                ModelProfile profile = ModelProfile.Measure(model, device, ModelProfile.DefaultBlockBytes(device));
                watch.Stop();
                int rowBlocks = profile.Blocks.Where(b => b.IsRowBlock).Select(b => (b.Layer, b.FirstRow)).Distinct().Count();
                var problem = new PlanningProblem([profile], device, RequestMix.Uniform([model.Name]), 16);
                MemoryPlan ilp = IlpPlanner.Solve(problem)!;
                MemoryPlan greedy = GreedyPlanner.Solve(problem)!;
                double lru = LruBaseline.WeightBytesPerInput(problem);
                using ConnectedDevice emulator = HardwareDevices.Registry.Open($"emulator:{board.Name}");
                using PlannedDeployment deployment = PlannedDeployment.Deploy(emulator.Session, ilp);
                byte[] inputs = RandomSparseModel.Inputs(3, 4, model.InputSize);
                var reference = new DenseIntegerReference(model);
                bool exact = deployment.Infer(profile, inputs, 4).Outputs.SequenceEqual(Enumerable.Range(0, 4).SelectMany(i => reference.Forward(inputs.AsSpan(i * 784, 784))));
                Console.WriteLine($"   {board.Name,-14} 784-{hidden,4}-10: {profile.Bytes,9:N0} bytes in {profile.Blocks.Count,3} blocks ({rowBlocks} row blocks, profiled in {watch.ElapsedMilliseconds} ms); " +
                    $"ILP {ilp.WeightBytesPerInput,9:N1} weight bytes/image ({ilp.SolveTime.TotalMilliseconds:0} ms{(ilp.Optimal ? ", optimal" : ilp.LowerBound is { } b ? $", at most {(ilp.WeightBytesPerInput / b) - 1:P1} above optimal" : ", not proven optimal")}), greedy {greedy.WeightBytesPerInput,9:N1}, LRU {lru,9:N1}; " +
                    $"run bytes besides weights {profile.RunBytesPerInput(problem.Batch),7:N0}/image; 4 images on the emulator {(exact ? "bit-exact" : "NOT bit-exact")}");
            }
        }
    }

    // Weight bytes per image over one trace, first loads included: a plan carried out step by step, and LRU
    // eviction over the same blocks and model slots.
    private static double PlanBytes(PlanningProblem problem, MemoryPlan plan, int[] trace) =>
        IndependentRequestPlanner.PerInput(problem, [trace], t => StepWalker.Replay(plan, t).WeightBytes);

    private static double LruBytes(PlanningProblem problem, int[] trace) =>
        IndependentRequestPlanner.PerInput(problem, [trace], t => LruBaseline.WeightBytes(problem, t));

    private static double Median(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
