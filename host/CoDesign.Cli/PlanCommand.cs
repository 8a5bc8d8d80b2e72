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
/// blocks on the device, solves the memory plan by the ILP beside the greedy baseline, prints it (resident
/// or streamed per block, link bytes per image, solve time) and plots device memory over the schedule.
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
        var plot = new Option<string>("--plot") { Description = "Where to write the PNG of device memory over the schedule.", DefaultValueFactory = _ => "memory-plan.png" };
        var command = new Command("plan", "Plan device memory for models larger than the device, or several on one device: resident or streamed per column block, by an ILP.") { models, device, batch, mix, plot };
        command.SetAction(parse => CommandFailure.Guard(() => Run(
            parse.GetValue(models) is { Length: > 0 } given ? given : [ShippedModel.Path],
            parse.GetValue(device)!,
            parse.GetValue(batch),
            parse.GetValue(mix),
            parse.GetValue(plot)!)));
        return command;
    }

    /// <summary>Block size for a device: an eighth of its memory, within 512 B .. 4 KiB, so a plan has room to choose.</summary>
    internal static int BlockBytes(DeviceProfile device) => Math.Clamp(device.PersistentBytes / 8, 512, 4096);

    /// <summary>Profiles <paramref name="models"/> and states the problem; model names must differ.</summary>
    internal static PlanningProblem Problem(IReadOnlyList<SparseModel> models, DeviceProfile device, int batch, string? mix)
    {
        foreach (IGrouping<string, SparseModel> twice in models.GroupBy(m => m.Name).Where(g => g.Count() > 1))
        {
            throw new ArgumentException($"model name '{twice.Key}' is given {twice.Count()} times; a plan needs each model once");
        }

        ModelProfile[] profiles = [.. models.Select(m => ModelProfile.Measure(m, device, BlockBytes(device)))];
        string[] names = [.. models.Select(m => m.Name)];
        RequestMix requests = mix is null ? RequestMix.Uniform(names) : RequestMix.Parse(mix, names);
        return new PlanningProblem(profiles, device, requests, batch);
    }

    /// <summary>Solves by the ILP; throws when no plan exists.</summary>
    internal static MemoryPlan Solve(PlanningProblem problem) =>
        IlpPlanner.Solve(problem) ?? throw new InvalidOperationException(
            $"no memory plan exists: a column block of {problem.Blocks.Max(b => b.Bytes):N0} bytes does not fit beside nothing in device '{problem.Device.Name}''s {problem.Capacity:N0} bytes");

    private static int Run(string[] modelPaths, string deviceName, int batch, string? mix, string plotPath)
    {
        OutputFile.Check(plotPath, "--plot");
        SparseModel[] models = [.. modelPaths.Select(ModelFile.Read)];
        DeviceProfile device;
        using (ConnectedDevice connected = DeviceCatalog.Registry.Open(deviceName, waits: DeviceWaits.ToStandardError))
        {
            device = connected.Session.Profile;
        }

        PlanningProblem problem = Problem(models, device, batch, mix);
        MemoryPlan plan = Solve(problem);
        MemoryPlan? greedy = GreedyPlanner.Solve(problem);
        AnsiConsole.MarkupLine($"[bold]device[/] {Markup.Escape(device.Name)}: {device.PersistentBytes:N0} bytes of weight memory, {device.ScratchBytes:N0} of scratch, {device.BaudRate:N0} baud; batch {problem.Batch}" +
            (problem.Batch < batch ? $" (asked {batch}; the scratch holds the sums of {problem.Batch})" : ""));
        foreach (ModelProfile model in problem.Models)
        {
            var table = new Table().Border(TableBorder.Rounded).Title($"{Markup.Escape(model.Name)}: share {problem.Mix.ShareOf(model.Name):0.###}, {model.Blocks.Count} blocks, {model.Bytes:N0} bytes")
                .AddColumns("block", "columns", "bytes", "decision");
            foreach ((BlockProfile block, BlockDecision decision) in plan.BlocksOf(model))
            {
                table.AddRow($"L{block.Layer}", $"{block.FirstCol}..{block.FirstCol + block.Cols - 1}", $"{block.Bytes:N0}", decision.ToString().ToLowerInvariant());
            }

            AnsiConsole.Write(table);
        }

        void Line(MemoryPlan p) => AnsiConsole.MarkupLine(
            $"[bold]{Markup.Escape(p.Solver)}[/]{(p.Optimal ? " (optimal)" : "")}: {p.ResidentBytes:N0} bytes resident, peak {p.PeakBytes:N0} of {problem.Capacity:N0}; " +
            $"link {p.LinkBytesPerInput:N0} bytes per image ({p.StreamedBytesPerInput:N0} of them streamed weights), {p.LinkSecondsPerInput * 1e3:0.###} ms per image at the baud rate; solved in {p.SolveTime.TotalMilliseconds:0.#} ms");
        Line(plan);
        if (greedy is not null)
        {
            Line(greedy);
        }

        MemoryPlot.Write(plan, plotPath);
        AnsiConsole.MarkupLine($"plot of device memory over the schedule written to {Markup.Escape(Path.GetFullPath(plotPath))}");
        return 0;
    }
}
