using System.CommandLine;
using CoDesign.Model;
using CoDesign.Model.Files;
using CoDesign.Planner;
using CoDesign.Planner.Decision;
using CoDesign.Planner.Profile;
using CoDesign.Runtime;
using CoDesign.Runtime.Devices;
using Spectre.Console;

namespace CoDesign.Cli;

/// <summary>
/// <c>codesign plan -m M... --device D [--batch N] [--mix a=0.5,b=0.3,...]</c>: profiles the models' column
/// blocks on the device, solves the memory plan by the ILP beside the greedy baseline, prints it (resident,
/// streamed or evicted per block and step, link bytes per image, solve time) beside the whole-schedule ILP and LRU, and plots device memory over the schedule.
/// </summary>
internal static class PlanCommand
{
    public static Command Create()
    {
        var models = new Option<string[]>("--model", "-m")
        {
            Description = "Compressed model file(s) (.cdsm); repeat for several models on one device. Default: the shipped Fashion-MNIST model.",
            AllowMultipleArgumentsPerToken = true,
        };
        var device = new Option<string>("--device", "-d") { Description = $"Device to plan for: {DeviceCatalog.Known}.", DefaultValueFactory = _ => "emulator" };
        var batch = new Option<int>("--batch") { Description = "Images per request: a streamed block is sent once per batch (capped by what the device's scratch holds).", DefaultValueFactory = _ => 16 }.InRange(1, ushort.MaxValue);
        var mix = new Option<string?>("--mix") { Description = "Request mix, NAME=SHARE,... by model name; models not named share what is left (default: all equally often)." };
        var plot = new Option<string>("--plot") { Description = "Where to write the PNG of device memory over the steps of the schedule.", DefaultValueFactory = _ => "memory-plan.png" };
        var command = new Command("plan", "Plan device memory for models larger than the device, or several on one device: resident, streamed or evicted per column block and step, by an ILP.") { models, device, batch, mix, plot };
        command.SetAction(parse => CommandFailure.Guard(() => Run(
            parse.GetValue(models) is { Length: > 0 } given ? given : [ShippedModel.Path],
            parse.GetValue(device)!,
            parse.GetValue(batch),
            parse.GetValue(mix),
            parse.GetValue(plot)!)));
        return command;
    }

    /// <summary>Profiles <paramref name="models"/> and states the problem; model names must differ.</summary>
    internal static PlanningProblem Problem(IReadOnlyList<SparseModel> models, DeviceProfile device, int batch, string? mix)
    {
        foreach (IGrouping<string, SparseModel> twice in models.GroupBy(m => m.Name).Where(g => g.Count() > 1))
        {
            throw new ArgumentException($"model name '{twice.Key}' is given {twice.Count()} times; a plan needs each model once");
        }

        ModelProfile[] profiles = [.. models.Select(m => ModelProfile.Measure(m, device, ModelProfile.DefaultBlockBytes(device)))];
        return new PlanningProblem(profiles, device, Mix(models, mix), batch);
    }

    /// <summary>The request mix of <c>--mix</c> for <paramref name="models"/> (all equally often without one); throws <see cref="FormatException"/> naming a bad part.</summary>
    internal static RequestMix Mix(IReadOnlyList<SparseModel> models, string? mix)
    {
        string[] names = [.. models.Select(m => m.Name)];
        return mix is null ? RequestMix.Uniform(names) : RequestMix.Parse(mix, names);
    }

    /// <summary>Solves by both ILPs and chooses the one to carry out (<see cref="IndependentRequestPlanner"/>); throws when no plan exists.</summary>
    internal static PlanChoice Solve(PlanningProblem problem) =>
        IndependentRequestPlanner.Solve(problem) ?? throw new InvalidOperationException(
            $"no memory plan exists: a column block of {problem.Blocks.Max(b => b.Bytes):N0} bytes does not fit beside nothing in device '{problem.Device.Name}''s {problem.Capacity:N0} bytes");

    /// <summary>Which ILP plan was chosen to carry out and why, in one sentence.</summary>
    internal static string ReplayLine(PlanChoice choice) =>
        $"the {Markup.Escape(choice.Plan.Solver)} plan, which sent {choice.ReplayedBytesPerInput:N0} weight bytes per image over {IndependentRequestPlanner.Traces * IndependentRequestPlanner.RequestsPerTrace:N0} requests drawn independently from the mix" +
        (choice.Other is null
            ? $" (one step: the two ILPs are the same problem); solved and replayed in {choice.SolveTime.TotalMilliseconds:0.#} ms"
            : $" against {choice.OtherReplayedBytesPerInput:N0} by the {Markup.Escape(choice.Other.Solver)} plan; both ILPs solved and replayed in {choice.SolveTime.TotalMilliseconds:0.#} ms");

    private static int Run(string[] modelPaths, string deviceName, int batch, string? mix, string plotPath)
    {
        OutputFile.Check(plotPath, "--plot");
        SparseModel[] models = [.. modelPaths.Select(ModelFile.Read)];
        Mix(models, mix); // a bad mix is refused before the device is opened
        DeviceProfile device;
        using (ConnectedDevice connected = DeviceCatalog.Registry.Open(deviceName, waits: DeviceWaits.ToStandardError))
        {
            device = connected.Session.Profile;
        }

        PlanningProblem problem = Problem(models, device, batch, mix);
        PlanChoice choice = Solve(problem);
        MemoryPlan plan = choice.Plan;
        AnsiConsole.MarkupLine($"[bold]device[/] {Markup.Escape(device.Name)}: {device.PersistentBytes:N0} bytes of weight memory, {device.ScratchBytes:N0} of scratch, {device.BaudRate:N0} baud; batch {problem.Batch}" +
            (problem.Batch < batch ? $" (asked {batch}; the scratch holds the sums of {problem.Batch})" : ""));
        StepSequence steps = problem.Steps;
        AnsiConsole.MarkupLine(
            $"[bold]schedule[/]: {steps.Count} step(s) drawn from the mix, repeated; step i is letter i of each block's residency below: " +
            Markup.Escape(string.Join(" ", Enumerable.Range(0, steps.Count).Select(t => problem.Models[steps.Models[t]].Name))));
        AnsiConsole.MarkupLine("residency per step: [bold]R[/] resident (kept through the step), [bold]S[/] streamed in for the step, [bold].[/] evicted");
        for (int m = 0; m < problem.Models.Count; m++)
        {
            ModelProfile model = problem.Models[m];
            var table = new Table().Border(TableBorder.Rounded).Title($"{Markup.Escape(model.Name)}: share {problem.Mix.ShareOf(model.Name):0.###}, {model.Blocks.Count} blocks, {model.Bytes:N0} bytes")
                .AddColumns("layer", "rows", "columns", "blocks", "bytes", "residency per step");

            // Neighbouring blocks of a layer's row block with the same residency share a row.
            (BlockProfile Block, int Index)[] blocks = [.. plan.BlocksOf(m)];
            for (int k = 0; k < blocks.Length;)
            {
                BlockProfile block = blocks[k].Block;
                string residency = plan.Residency(blocks[k].Index);
                int end = k + 1;
                while (end < blocks.Length && blocks[end].Block.Layer == block.Layer && blocks[end].Block.FirstRow == block.FirstRow && plan.Residency(blocks[end].Index) == residency)
                {
                    end++;
                }

                BlockProfile last = blocks[end - 1].Block;
                table.AddRow(
                    $"L{block.Layer}", $"{block.FirstRow}..{block.FirstRow + block.Rows - 1}", $"{block.FirstCol}..{last.FirstCol + last.Cols - 1}",
                    $"{end - k}", $"{blocks[k..end].Sum(b => b.Block.Bytes):N0}", residency);
                k = end;
            }

            AnsiConsole.Write(table);
        }

        void Line(MemoryPlan p)
        {
            int[] kinds = [.. Enumerable.Range(0, problem.Blocks.Count).Select(i => (int)p.KindOf(i))];
            int Count(ResidencyKind kind) => kinds.Count(k => k == (int)kind);
            AnsiConsole.MarkupLine(
                $"[bold]{Markup.Escape(p.Solver)}[/]{(p.Optimal ? " (optimal)" : p.LowerBound is { } bound ? $" (best found in the time limit; the optimum sends at least {bound:N0} weight bytes per image)" : p.Solver == IlpPlanner.Name ? " (best found in the time limit, not proven optimal)" : "")}: " +
                $"{Count(ResidencyKind.Always)} blocks resident at every step ({p.AlwaysResidentBytes:N0} bytes), {Count(ResidencyKind.SomeSteps)} at some steps, {Count(ResidencyKind.Streamed)} streamed at each use" +
                (Count(ResidencyKind.Never) > 0 ? $", {Count(ResidencyKind.Never)} evicted" : "") + $"; peak {p.PeakBytes:N0} of {problem.Capacity:N0} bytes" +
                (problem.Slots < int.MaxValue ? $", {p.PeakSlots} of the device's {problem.Slots} model slots" : "") + "; " +
                $"link {p.LinkBytesPerInput:N0} bytes per image ({p.WeightBytesPerInput:N0} of them weights), {p.LinkSecondsPerInput * 1e3:0.###} ms per image at the baud rate; solved in {p.SolveTime.TotalMilliseconds:0.#} ms");
        }

        AnsiConsole.MarkupLine($"[bold]carried out[/] (the table above): {ReplayLine(choice)}");
        Line(plan);
        // With one step the whole-schedule ILP is the same problem, solved here for comparison within the same second.
        foreach (MemoryPlan? other in (MemoryPlan?[])[choice.Other ?? WholeScheduleIlpPlanner.Solve(problem, IlpPlanner.DefaultTimeLimit), StepGreedyPlanner.Solve(problem), GreedyPlanner.Solve(problem)])
        {
            if (other is not null)
            {
                Line(other);
            }
        }

        AnsiConsole.MarkupLine($"[bold]LRU eviction[/] on the same steps: {LruBaseline.WeightBytesPerInput(problem):N0} weight bytes per image");
        MemoryPlot.Write(plan, plotPath);
        AnsiConsole.MarkupLine($"plot of device memory over the steps written to {Markup.Escape(Path.GetFullPath(plotPath))}");
        return 0;
    }
}
