using CoDesign.Compression;
using Spectre.Console;

namespace CoDesign.Cli;

/// <summary>Draws a progress bar for a training or compression run.</summary>
internal static class TrainingDisplay
{
    public static T Run<T>(string title, Func<IProgress<TrainingProgress>, T> work) =>
        Run(title, work, (TrainingProgress p) => (p.Fraction, $"{title}  epoch {p.Epoch}/{p.EpochCount}  loss {p.Loss:0.000}  acc {p.Accuracy:0.000}"));

    public static T RunCompression<T>(string title, Func<IProgress<CompressionProgress>, T> work) =>
        Run(title, work, (CompressionProgress p) => (p.Fraction, $"{title}: {p.Description}"));

    private static T Run<TReport, T>(string title, Func<IProgress<TReport>, T> work, Func<TReport, (double Fraction, string Description)> describe) =>
        AnsiConsole.Progress().AutoClear(false).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                ProgressTask task = context.AddTask(Markup.Escape(title), maxValue: 1);
                T result = work(new InlineProgress<TReport>(report =>
                {
                    (double fraction, string description) = describe(report);
                    task.Value = fraction;
                    task.Description = Markup.Escape(description);
                }));
                task.Value = 1;
                return result;
            });
}
