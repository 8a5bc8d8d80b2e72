using CoDesign.Model.Files;
using CoDesign.Planner.Decision;

namespace CoDesign.Planner;

/// <summary>Draws a plan's device memory over one round of its schedule as a PNG, with ScottPlot.</summary>
public static class MemoryPlot
{
    /// <summary>
    /// Writes the plot of <paramref name="plan"/> to <paramref name="path"/> (PNG, 1000 x 450), atomically
    /// as every output file: a plot already there stays whole if this one fails.
    /// </summary>
    public static void Write(MemoryPlan plan, string path)
    {
        IReadOnlyList<(string Step, int ResidentBytes, int StreamedBytes)> steps = plan.MemoryOverSchedule();
        double[] xs = [.. Enumerable.Range(0, steps.Count).Select(i => (double)i)];
        var plot = new ScottPlot.Plot();
        var total = plot.Add.Scatter(xs, [.. steps.Select(s => (double)(s.ResidentBytes + s.StreamedBytes))]);
        total.LegendText = "resident + streamed block of the step";
        total.ConnectStyle = ScottPlot.ConnectStyle.StepHorizontal;
        var resident = plot.Add.Scatter(xs, [.. steps.Select(s => (double)s.ResidentBytes)]);
        resident.LegendText = "resident blocks";
        resident.ConnectStyle = ScottPlot.ConnectStyle.StepHorizontal;
        var capacity = plot.Add.HorizontalLine(plan.Problem.Capacity);
        capacity.LegendText = "device memory";
        capacity.LinePattern = ScottPlot.LinePattern.Dashed;
        plot.Title($"{plan.Solver}: device memory over the schedule ({plan.Problem.Device.Name}, batch {plan.Problem.Batch})");
        plot.XLabel("step (one block each, model after model)");
        plot.YLabel("bytes");
        plot.Axes.SetLimitsY(0, plan.Problem.Capacity * 1.1);
        plot.ShowLegend(ScottPlot.Alignment.LowerRight);
        OutputFile.WriteAtomically(path, "plot", plot.GetImageBytes(1000, 450, ScottPlot.ImageFormat.Png));
    }
}
