using System.CommandLine;
using System.Diagnostics;
using CoDesign.Model.Datasets.Packs;
using CoDesign.Model.Files;
using Spectre.Console;

namespace CoDesign.Cli;

/// <summary>
/// <c>codesign pack SOURCE -o data.cdsp</c>: packs an IDX images file or an image folder (one subfolder
/// per class) into a dataset pack: a few shard files and an index from request number to record
/// (seed 000d). A bad image stops it with the file's name; a pack already at the path stays whole.
/// </summary>
internal static class PackCommand
{
    public static Command Create()
    {
        var source = new Argument<string>("source") { Description = "An IDX images file (its labels file beside it) or a folder with one subfolder of images (PNG, JPEG, BMP, PGM) per class." };
        var output = new Option<string>("--output", "-o") { Description = "The pack's index file (.cdsp); its shards are written beside it as .cdsp.0, .cdsp.1, ...", Required = true };
        var perShard = new Option<int>("--shard-records") { Description = "Records per shard file.", DefaultValueFactory = _ => DatasetPackWriter.DefaultRecordsPerShard }.InRange(1, DatasetPackWriter.MaxRecords);
        var command = new Command("pack", "Pack a labelled image set into shard files with a hashed index, for O(1) reads by request number.") { source, output, perShard };
        command.SetAction(parse => CommandFailure.Guard(() => Run(parse.GetValue(source)!, parse.GetValue(output)!, parse.GetValue(perShard))));
        return command;
    }

    private static int Run(string sourcePath, string outputPath, int perShard)
    {
        OutputFile.Check(outputPath, "--output");
        var clock = Stopwatch.StartNew();
        PackSource source = PackSource.Open(sourcePath);
        if (source.Count > DatasetPackWriter.MaxRecords)
        {
            throw new InvalidDataException($"{sourcePath}: {source.Count:N0} records are more than a pack holds ({DatasetPackWriter.MaxRecords:N0})");
        }

        using (var writer = new DatasetPackWriter(outputPath, source.Width, source.Height, source.Classes, perShard))
        {
            foreach ((int label, byte[] pixels) in source.Records())
            {
                writer.Add(label, pixels);
            }

            writer.Complete();
        }

        // Opened again, so what is reported is what a reader finds (every slot checked against its shard).
        using DatasetPack pack = DatasetPack.Open(outputPath);
        int shards = (pack.Count + perShard - 1) / perShard;
        long bytes = new FileInfo(outputPath).Length + Enumerable.Range(0, shards).Sum(s => new FileInfo($"{Path.GetFullPath(outputPath)}.{s}").Length);
        AnsiConsole.MarkupLine(
            $"packed {Markup.Escape(source.Description)} into {Markup.Escape(outputPath)}: {pack.Count:N0} records of {pack.Width} x {pack.Height}, " +
            $"{(pack.ClassNames.Count == 0 ? "labels from the IDX file" : $"{pack.ClassNames.Count} classes ({Markup.Escape(string.Join(", ", pack.ClassNames.Take(10)))}{(pack.ClassNames.Count > 10 ? ", ..." : string.Empty)})")}, " +
            $"{shards} shard(s), {bytes:N0} bytes, {clock.Elapsed.TotalSeconds:0.00} s");
        return 0;
    }
}
