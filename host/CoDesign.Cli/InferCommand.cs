using System.CommandLine;
using System.Diagnostics;
using CoDesign.Model;
using CoDesign.Model.Datasets;
using CoDesign.Planner.Decision;
using CoDesign.Planner.Execution;
using CoDesign.Planner.Profile;
using CoDesign.Runtime;
using CoDesign.Runtime.Compile;
using CoDesign.Runtime.Deploy;
using CoDesign.Runtime.Devices;
using CoDesign.Runtime.Devices.Emulator;
using CoDesign.Runtime.Link;
using Spectre.Console;

namespace CoDesign.Cli;

/// <summary>
/// <c>codesign infer</c>: the whole way through on Fashion-MNIST: load one or more compressed models,
/// compile, deploy them together on a device, classify the test set with each (concurrently), check
/// every output against the dense integer reference, and report accuracy, speed and memory.
/// </summary>
internal static class InferCommand
{
    private const int SliceSize = 250;

    /// <summary>Images per batch when a memory plan runs the models (capped by the device's scratch).</summary>
    private const int PlannedBatch = 16;

    public static Command Create()
    {
        var models = new Option<string[]>("--model", "-m")
        {
            Description = "Compressed model file(s) (.cdsm); repeat to deploy several at once. Default: the shipped Fashion-MNIST model.",
            AllowMultipleArgumentsPerToken = true,
        };
        var device = new Option<string>("--device", "-d") { Description = $"Device to run on: {DeviceCatalog.Known}.", DefaultValueFactory = _ => "emulator" };
        var count = new Option<int?>("--count", "-n") { Description = "Images to classify, the first N of the data (default: all of them)." }.AtLeast(1);
        var pes = new Option<int?>("--pes") { Description = "Processing elements of the emulated device (default 4)." }.InRange(1, CommandOptions.MaxPes);
        var data = new Option<string?>("--data") { Description = $"Images to classify: a dataset pack (.cdsp, from codesign pack), an IDX images file, an image folder (one subfolder per class), or a folder with the Fashion-MNIST IDX files (default {FashionMnist.DefaultDirectory})." };
        var verify = new Option<bool>("--verify") { Description = "Check every output against the dense integer reference.", DefaultValueFactory = _ => true };
        var resident = new Option<bool>("--resident")
        {
            Description = "Use the model already in the device's weight memory at address 0 (baked into the bitstream by build-bitstream.sh --model) instead of deploying it: only the commit is sent, and the device checks the image's CRC-32.",
        };

        var noCompress = new Option<bool>("--no-compress")
        {
            Description = "Send every Run and Write payload raw, for comparison; by default each travels zero-run coded when the device decodes that and it saves link time.",
        };

        var trace = new Option<string?>("--trace")
        {
            Description = "Write the run's waveform to this VCD file (for GTKWave), on a Verilator device; the simulator is then built with tracing, and runs slower.",
        };

        var mix = new Option<string?>("--mix")
        {
            Description = "Request mix for the memory plan used when the models do not fit the device whole, NAME=SHARE,... by model name; models not named share what is left (default: all equally often).",
        };

        var command = new Command("infer", "Deploy compressed models on a device and classify a test set (Fashion-MNIST's, or --data).") { models, device, count, pes, data, verify, resident, noCompress, trace, mix };
        command.SetAction(parse => CommandFailure.Guard(() => Run(
            parse.GetValue(models) is { Length: > 0 } given ? given : [ShippedModel.Path],
            parse.GetValue(device)!,
            parse.GetValue(count),
            parse.GetValue(pes),
            parse.GetValue(data),
            parse.GetValue(verify),
            parse.GetValue(resident),
            !parse.GetValue(noCompress),
            parse.GetValue(trace),
            parse.GetValue(mix))));
        return command;
    }

    private static int Run(string[] modelPaths, string deviceName, int? count, int? pes, string? dataDirectory, bool verify, bool resident, bool compress, string? trace, string? mix)
    {
        if (resident && modelPaths.Length != 1)
        {
            throw new ArgumentException($"--resident uses the one model baked at address 0; {modelPaths.Length} models were given");
        }

        SparseModel[] models = [.. modelPaths.Select(ModelFile.Read)];
        PlanCommand.Mix(models, mix); // a bad mix is refused before anything is loaded or opened
        LabeledImages all = TestSet.Load(dataDirectory);
        if (count > all.Count)
        {
            throw new ArgumentException($"--count {count:N0} is more than the {all.Count:N0} test images in the data; allowed: 1..{all.Count:N0}");
        }

        LabeledImages test = all.Take(count ?? all.Count);
        foreach (SparseModel model in models.Where(m => m.InputSize != test.ImageSize))
        {
            throw new ArgumentException($"model '{model.Name}' takes {model.InputSize} inputs; the data's images are {test.Width} x {test.Height} = {test.ImageSize} pixels");
        }

        using ConnectedDevice connected = DeviceCatalog.Registry.Open(deviceName, pes, waits: DeviceWaits.ToStandardError, trace: trace);
        DeviceSession session = connected.Session;
        DeviceProfile profile = session.Profile;
        session.Compression.Enabled = compress;
        AnsiConsole.MarkupLine($"[bold]device[/] {Markup.Escape(profile.Name)}: {profile.PeCount} PEs, {profile.BusBits}-bit bus, {profile.PersistentBytes / 1024:N0} KiB weight memory, " +
            (profile.Cycles == CycleSource.HostClock ? "compute timed on this host" : $"{profile.ClockHz / 1e6:0.#} MHz") + ", " +
            (profile.BaudRate == 0 ? "in-memory link" : $"link {profile.BaudRate / 1e6:0.##} Mbaud"));

        var deployments = new List<Deployment>();
        using PlannedDeployment? planned = resident || Fits(models, profile) ? null : DeployByPlan(session, models, mix, deployments);
        if (planned is null && mix is not null)
        {
            AnsiConsole.MarkupLine("--mix: the models fit the device whole, so no memory plan is needed and the mix is not used");
        }

        if (planned is null)
        {
            DeployWhole(session, models, resident, deployments);
        }

        var results = new InferenceResult[deployments.Count];
        var clock = Stopwatch.StartNew();
        AnsiConsole.Progress().AutoClear(false).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(progress =>
            {
                ProgressTask[] tasks = [.. deployments.Select(d => progress.AddTask($"classify with {Markup.Escape(d.Model.Name)}", maxValue: test.Count))];

                // One thread per model: the session serializes frames, the models share the device. A
                // plan's blocks share the device's accumulators, so its models take turns by batch.
                Parallel.For(0, deployments.Count, i => results[i] = Classify(deployments[i], planned, session, test, tasks[i]));
            });
        clock.Stop();

        int exit = 0;
        var table = new Table().Border(TableBorder.Rounded).AddColumn("").AddColumns(deployments.Select(d => new TableColumn(Markup.Escape(d.Model.Name)).RightAligned()).ToArray());
        void Row(string label, Func<int, string> cell) => table.AddRow([label, .. Enumerable.Range(0, deployments.Count).Select(cell)]);

        int[][] predictions = [.. results.Select(r => Enumerable.Range(0, r.Count).Select(i => DenseIntegerReference.ArgMax(r.OutputsOf(i))).ToArray())];
        Row("images", _ => test.Count.ToString("N0"));
        Row("accuracy", i => $"{predictions[i].Where((p, k) => p == test.Labels[k]).Count() / (double)test.Count:0.0000}");
        if (verify)
        {
            int[] mismatches = CountMismatches([.. deployments.Select(d => d.Model)], test, results);
            exit = mismatches.Any(m => m > 0) ? CommandFailure.Mismatch : exit;
            Row("vs dense integer reference", i => mismatches[i] == 0 ? "[green]bit-exact[/]" : $"[red]{mismatches[i]:N0} of {test.Count:N0} differ[/]");
        }

        Row("weight density", i => $"{deployments[i].Model.Layers.Sum(l => l.Weights.NonzeroCount) / (double)deployments[i].Model.Layers.Sum(l => (long)l.Rows * l.Cols):P1}");
        Row("device image", i => $"{deployments[i].ImageBytes:N0} B");
        Row("host bytes held: before deploy", i => $"{deployments[i].HostBefore:N0}");
        Row("host bytes held: half-way", i => $"{deployments[i].HostDuring:N0}");
        Row("host bytes held: after deploy", i => $"{deployments[i].HostAfter:N0}");
        bool hostClock = profile.Cycles == CycleSource.HostClock;
        Row(hostClock ? "compute ns / image" : "device cycles / image", i => $"{results[i].Cycles / (double)test.Count:N0}");
        if (profile.Cycles == CycleSource.Hardware)
        {
            // Hardware (simulated or real) beside the emulator's cost models, on the same images: the
            // boards' sequential engine, the PE array of pe.v, and that of compiled PEs (the plain Verilator top's).
            Row("cost model, sequential engine / image", i => $"{PredictedCycles(deployments[i], planned, profile, test, EmulatedEngine.SequentialEngine) / (double)test.Count:N0}");
            Row("cost model, PE array / image", i => $"{PredictedCycles(deployments[i], planned, profile, test, EmulatedEngine.PeArray) / (double)test.Count:N0}");
            Row("cost model, compiled PE array / image", i => $"{PredictedCycles(deployments[i], planned, profile, test, EmulatedEngine.CompiledPeArray) / (double)test.Count:N0}");
        }

        Row("entries / image", i => $"{results[i].Entries / (double)test.Count:N0}");
        Row("shift-add steps / image", i => $"{results[i].ShiftAddSteps / (double)test.Count:N0}");
        Row("link bytes / image", i => $"{results[i].LinkBytes / (double)test.Count:N0}");
        if (!hostClock)
        {
            Row("images/s, compute-bound at clock", i => $"{profile.ClockHz / (results[i].Cycles / (double)test.Count):N0}");
            Row("images/s, link-bound at baud", i => $"{1 / profile.LinkSeconds((long)Math.Ceiling(results[i].LinkBytes / (double)test.Count)):N0}");
        }

        AnsiConsole.Write(table);
        if (hostClock)
        {
            // The device timed its own compute: the inference alone, without the in-memory link's framing.
            double computeSeconds = results.Sum(r => r.Cycles) / (double)DeviceProfile.NanosecondClockHz;
            AnsiConsole.MarkupLine($"[bold]{test.Count * deployments.Count / computeSeconds:N0} images/s on this host[/] for the inference alone ({computeSeconds:0.000} s of compute)");
        }

        ReportCompression(session.Compression);
        AnsiConsole.MarkupLine(
            $"[bold]{test.Count * deployments.Count / clock.Elapsed.TotalSeconds:N0} images/s[/] on this host ({deployments.Count} model(s), {clock.Elapsed.TotalSeconds:0.00} s); " +
            $"link: {session.Link.BytesSent + session.Link.BytesReceived:N0} bytes, {session.Link.Retransmissions} retransmissions; host now holds {session.HostBytesHeld:N0} bytes for {session.Models.Count} model(s)");
        return exit;
    }

    // Which layers run in row blocks, their outputs through the host, because one input's sums pass the scratch.
    private static string RowBlockNote(PlanningProblem problem)
    {
        string[] layers = [.. problem.Blocks.Where(b => b.IsRowBlock).Select(b => $"{b.Model} L{b.Layer}").Distinct()];
        return layers.Length == 0 ? "" : $"; {string.Join(", ", layers)} in row blocks, whose sums for one image pass the device's {problem.Device.ScratchBytes:N0} bytes of scratch";
    }

    /// <summary>True when every model compiles whole for the device and all of them fit its memory together.</summary>
    private static bool Fits(IReadOnlyList<SparseModel> models, DeviceProfile profile)
    {
        long total = 0;
        foreach (SparseModel model in models)
        {
            if (!ModelCompiler.TryCompile(model, profile, out DeviceImage? image, out _))
            {
                return false;
            }

            total += (image.ImageBytes + 7) / 8 * 8;
        }

        return total <= profile.PersistentBytes;
    }

    /// <summary>
    /// The models do not fit the device: plans its memory by both ILPs, carrying out the one that sends less over independent requests (under <paramref name="mix"/>, every
    /// model equally often without one; batches of <see cref="PlannedBatch"/>), says so, and starts carrying the plan out.
    /// </summary>
    private static PlannedDeployment DeployByPlan(DeviceSession session, IReadOnlyList<SparseModel> models, string? mix, List<Deployment> deployments)
    {
        if ((session.Profile.Features & EngineFeatures.ColumnBlocks) == 0)
        {
            throw new DeployRefusedException(
                $"{string.Join(", ", models.Select(m => $"'{m.Name}'"))} do(es) not fit device '{session.Profile.Name}''s {session.Profile.PersistentBytes:N0} bytes of weight memory whole, " +
                "and the device runs whole models only (it does not keep partial sums across column blocks), so no memory plan can run there");
        }

        PlanningProblem problem = PlanCommand.Problem(models, session.Profile, PlannedBatch, mix);
        PlanChoice choice = PlanCommand.Solve(problem);
        MemoryPlan plan = choice.Plan;
        int[] kinds = [.. Enumerable.Range(0, problem.Blocks.Count).Select(i => (int)plan.KindOf(i))];
        int Count(ResidencyKind kind) => kinds.Count(k => k == (int)kind);
        AnsiConsole.MarkupLine(
            $"[bold]memory plan[/]: {Markup.Escape(string.Join(", ", models.Select(m => m.Name)))} do(es) not fit device '{Markup.Escape(session.Profile.Name)}''s {session.Profile.PersistentBytes:N0} bytes whole " +
            $"({problem.Models.Sum(m => m.Bytes):N0} bytes in {problem.Blocks.Count} column blocks{RowBlockNote(problem)}); running by {PlanCommand.ReplayLine(choice)}; the plan{(plan.Optimal ? " (optimal)" : "")} covers {problem.Steps.Count} step(s) " +
            $"under the mix {Markup.Escape(string.Join(", ", problem.Models.Select(m => $"{m.Name}={problem.Mix.ShareOf(m.Name):0.###}")))}: " +
            $"{Count(ResidencyKind.Always)} blocks resident at every step ({plan.AlwaysResidentBytes:N0} bytes), {Count(ResidencyKind.SomeSteps)} at some steps, {Count(ResidencyKind.Streamed)} streamed per batch of {problem.Batch}, " +
            $"about {plan.LinkBytesPerInput:N0} link bytes per image by the plan's count (greedy plan: {GreedyPlanner.Solve(problem)?.LinkBytesPerInput ?? double.NaN:N0})");
        PlannedDeployment deployment = PlannedDeployment.Deploy(session, plan);
        for (int m = 0; m < problem.Models.Count; m++)
        {
            ModelProfile model = problem.Models[m];
            long streamed = plan.BlocksOf(m).Where(b => plan.KindOf(b.Index) != ResidencyKind.Always).Sum(b => (long)b.Block.Bytes);
            deployments.Add(new Deployment(model.Model, null, model, (int)model.Bytes, model.Bytes, model.Bytes, streamed));
        }

        return deployment;
    }

    private static void DeployWhole(DeviceSession session, IReadOnlyList<SparseModel> models, bool resident, List<Deployment> deployments)
    {
        DeviceProfile profile = session.Profile;
        AnsiConsole.Progress().AutoClear(false).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(progress =>
            {
                foreach (SparseModel model in models)
                {
                    DeviceImage image = ModelCompiler.Compile(model, profile);
                    long before = image.HostBytesHeld;
                    if (resident)
                    {
                        // The image is only compiled for its header and CRC-32; its bytes are already on the device.
                        long linkBefore = session.Link.BytesSent + session.Link.BytesReceived;
                        DeployedModel adopted = session.Adopt(image, 0);
                        AnsiConsole.MarkupLine(
                            $"adopted [bold]{Markup.Escape(model.Name)}[/] resident at address 0 ({image.ImageBytes:N0} bytes): " +
                            $"{session.Link.BytesSent + session.Link.BytesReceived - linkBefore:N0} link bytes instead of a deploy");
                        deployments.Add(new Deployment(model, adopted, null, image.ImageBytes, before, before, adopted.HostBytes));
                        continue;
                    }

                    long during = before;
                    ProgressTask task = progress.AddTask($"deploy {Markup.Escape(model.Name)}", maxValue: image.Chunks.Count);
                    DeployedModel deployed = session.Deploy(image, new InlineProgress<DeployProgress>(p =>
                    {
                        task.Value = p.ChunksAcknowledged;
                        if (p.ChunksAcknowledged == image.Chunks.Count / 2)
                        {
                            during = p.HostBytesHeld;
                        }
                    }));
                    deployments.Add(new Deployment(model, deployed, null, image.ImageBytes, before, during, deployed.HostBytes));
                }
            });
    }

    /// <summary>What the host decided about compressing each kind of request, and what it saved.</summary>
    private static void ReportCompression(CompressionPolicy policy)
    {
        AnsiConsole.MarkupLine($"[bold]compression[/]: {Markup.Escape(policy.Describe())}");
        foreach (FrameType type in (FrameType[])[FrameType.Write, FrameType.Run])
        {
            CompressionCounts c = policy.Statistics.Of(type);
            if (c.Transfers > 0)
            {
                AnsiConsole.MarkupLine(
                    $"  {type}: {c.Compressed:N0} of {c.Transfers:N0} requests compressed; payload bytes {c.PayloadBytes:N0} -> {c.SentBytes:N0} " +
                    $"({c.Ratio:0.00}x, {c.BytesSaved:N0} saved); host encode {c.EncodeTime.TotalMilliseconds:N1} ms");
            }
        }
    }

    /// <summary>
    /// Cycles the emulator counts for <paramref name="engine"/> on the device's profile and the same images:
    /// by the same memory plan, block by block, when the model runs by one.
    /// </summary>
    private static long PredictedCycles(Deployment deployment, PlannedDeployment? planned, DeviceProfile profile, LabeledImages test, EmulatedEngine engine)
    {
        using ConnectedDevice emulator = LinkServer.Connect(new EmulatorEngine(profile, costModel: engine), "emulator");
        if (planned is not null)
        {
            using PlannedDeployment onEmulator = PlannedDeployment.Deploy(emulator.Session, planned.Plan);
            return onEmulator.Infer(deployment.Planned!, test.Pixels, test.Count).Cycles;
        }

        DeployedModel deployed = emulator.Session.Deploy(ModelCompiler.Compile(deployment.Model, profile));
        return emulator.Session.Infer(deployed, test.Pixels, test.Count).Cycles;
    }

    private static InferenceResult Classify(Deployment deployment, PlannedDeployment? planned, DeviceSession session, LabeledImages test, ProgressTask task)
    {
        var parts = new List<InferenceResult>();
        for (int start = 0; start < test.Count; start += SliceSize)
        {
            int n = Math.Min(SliceSize, test.Count - start);
            ReadOnlySpan<byte> slice = test.Pixels.AsSpan(start * test.ImageSize, n * test.ImageSize);
            if (planned is not null)
            {
                lock (planned)
                {
                    parts.Add(planned.Infer(deployment.Planned!, slice, n));
                }
            }
            else
            {
                parts.Add(session.Infer(deployment.Deployed!, slice, n));
            }

            task.Increment(n);
        }

        return InferenceResult.Concat(parts);
    }

    /// <summary>For each model, how many of its images' outputs differ from the dense integer reference; index i is model i's.</summary>
    internal static int[] CountMismatches(IReadOnlyList<SparseModel> models, LabeledImages test, IReadOnlyList<InferenceResult> results)
    {
        var mismatches = new int[models.Count];
        for (int m = 0; m < models.Count; m++)
        {
            var reference = new DenseIntegerReference(models[m]);
            InferenceResult result = results[m];
            int count = 0;
            Parallel.For(0, test.Count, () => 0, (i, _, local) =>
                local + (reference.Forward(test.Image(i)).AsSpan().SequenceEqual(result.OutputsOf(i)) ? 0 : 1),
                local => Interlocked.Add(ref count, local));
            mismatches[m] = count;
        }

        return mismatches;
    }

    /// <summary>A model deployed whole (<paramref name="Deployed"/>) or by a memory plan (<paramref name="Planned"/>).</summary>
    private sealed record Deployment(SparseModel Model, DeployedModel? Deployed, ModelProfile? Planned, int ImageBytes, long HostBefore, long HostDuring, long HostAfter);
}
