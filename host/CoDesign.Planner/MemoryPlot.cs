using CoDesign.Model.Files;
using CoDesign.Planner.Decision;

namespace CoDesign.Planner;

/// <summary>Draws a plan's device memory over the steps of its schedule as a PNG, with ScottPlot.</summary>
public static class MemoryPlot
{
    /// <summary>
    /// Writes the plot of <paramref name="plan"/> to <paramref name="path"/> (PNG, 1000 x 450), atomically
    /// as every output file: a plot already there stays whole if this one fails. Each step shows the bytes
    /// resident through it and, above them, the largest block streamed in while it runs.
    /// </summary>
    public static void Write(MemoryPlan plan, string path)
    {
        IReadOnlyList<(string Model, int ResidentBytes, int StreamedBytes)> steps = plan.MemoryOverSchedule();

        // One more point than steps, so the last step is drawn as wide as the others.
        double[] xs = [.. Enumerable.Range(0, steps.Count + 1).Select(i => (double)i)];
        double[] Padded(Func<(string Model, int ResidentBytes, int StreamedBytes), double> value) => [.. steps.Select(value), value(steps[^1])];
        var plot = new ScottPlot.Plot();
        var total = plot.Add.Scatter(xs, Padded(s => s.ResidentBytes + s.StreamedBytes));
        total.LegendText = "resident + largest block streamed in";
        total.ConnectStyle = ScottPlot.ConnectStyle.StepHorizontal;
        var resident = plot.Add.Scatter(xs, Padded(s => s.ResidentBytes));
        resident.LegendText = "resident blocks";
        resident.ConnectStyle = ScottPlot.ConnectStyle.StepHorizontal;
        var capacity = plot.Add.HorizontalLine(plan.Problem.Capacity);
        capacity.LegendText = "device memory";
        capacity.LinePattern = ScottPlot.LinePattern.Dashed;
        // Each step labelled with its model's letter (a for the first model, ...), named in the axis label.
        string[] names = [.. plan.Problem.Models.Select(m => m.Name)];
        string Letter(string model) => ((char)('a' + (Array.IndexOf(names, model) % 26))).ToString();
        plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, steps.Count).Select(i => i + 0.5)], [.. steps.Select(s => Letter(s.Model))]);
        string legend = string.Join(", ", names.Take(8).Select(n => $"{Letter(n)} = {n}")) + (names.Length > 8 ? ", ..." : "");

        plot.Title($"{plan.Solver}: device memory over the steps ({plan.Problem.Device.Name}, batch {plan.Problem.Batch}; the sequence repeats)");
        plot.XLabel($"step: one batch of one model ({legend})");
        plot.YLabel("bytes");
        plot.Axes.SetLimitsY(0, plan.Problem.Capacity * 1.1);
        plot.ShowLegend(ScottPlot.Alignment.LowerRight);
        OutputFile.WriteAtomically(path, "plot", plot.GetImageBytes(1000, 450, ScottPlot.ImageFormat.Png));
    }
}
