using CoDesign.Compression;
using Spectre.Console;

namespace CoDesign.Cli;

/// <summary>Draws a progress bar for a training or compression run.</summary>
internal static class TrainingDisplay
{
    public static T Run<T>(string title, Func<IProgress<TrainingProgress>, T> work) =>
        AnsiConsole.Progress().AutoClear(false).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                ProgressTask task = context.AddTask(Markup.Escape(title), maxValue: 1);
                T result = work(new InlineProgress<TrainingProgress>(p =>
                {
                    task.Value = p.Fraction;
                    task.Description = Markup.Escape($"{title}  epoch {p.Epoch}/{p.EpochCount}  loss {p.Loss:0.000}  acc {p.Accuracy:0.000}");
                }));
                task.Value = 1;
                return result;
            });

    public static T RunCompression<T>(string title, Func<IProgress<CompressionProgress>, T> work) =>
        AnsiConsole.Progress().AutoClear(false).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                ProgressTask task = context.AddTask(Markup.Escape(title), maxValue: 1);
                T result = work(new InlineProgress<CompressionProgress>(p =>
                {
                    task.Value = p.Fraction;
                    task.Description = Markup.Escape($"{title}: {p.Description}");
                }));
                task.Value = 1;
                return result;
            });
}
