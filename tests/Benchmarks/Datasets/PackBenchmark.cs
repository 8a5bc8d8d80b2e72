using System.Diagnostics;
using CoDesign.Model.Datasets;
using CoDesign.Model.Datasets.Packs;
using CoDesign.TestSupport;
using StbImageSharp;

namespace CoDesign.Benchmarks.Datasets;

/// <summary>
/// Random-access reads of every record of Fashion-MNIST (70,000: training and test sets) from a dataset
/// pack (with its chunk cache, and without), from one PNG file per image (opened and decoded, as an image-folder loader does), and from the
/// uncompressed IDX files (one positioned read per record), in the same random order, in one run
/// (issue 13, item 4). Every read is checked against the source pixels. The files are freshly written,
/// so all three read from the page cache: this measures per-record cost, not a cold disk.
/// </summary>
public static class PackBenchmark
{
    private const int Rounds = 5;

    public static int Run(string[] args)
    {
        LabeledImages train = FashionMnist.LoadTraining();
        LabeledImages test = FashionMnist.LoadTest();
        int size = train.ImageSize;
        byte[] pixels = [.. train.Pixels, .. test.Pixels];
        byte[] labels = [.. train.Labels, .. test.Labels];
        int count = labels.Length;
        string folder = Directory.CreateTempSubdirectory("codesign-pack-bench-").FullName;
        try
        {
            var clock = Stopwatch.StartNew();
            string pack = Path.Combine(folder, "fashion.cdsp");
            using (var writer = new DatasetPackWriter(pack, train.Width, train.Height, FashionMnist.ClassNames))
            {
                for (int i = 0; i < count; i++)
                {
                    writer.Add(labels[i], pixels.AsSpan(i * size, size));
                }

                writer.Complete();
            }

            double packSeconds = clock.Elapsed.TotalSeconds;
            clock.Restart();
            string images = Path.Combine(folder, "png");
            for (int c = 0; c < FashionMnist.ClassNames.Count; c++)
            {
                Directory.CreateDirectory(Path.Combine(images, c.ToString("D2")));
            }

            for (int i = 0; i < count; i++)
            {
                File.WriteAllBytes(PngPath(images, labels[i], i), ImageFiles.Png(train.Width, train.Height, pixels.AsSpan(i * size, size)));
            }

            double pngSeconds = clock.Elapsed.TotalSeconds;
            string idxImages = Path.Combine(folder, "images-idx3-ubyte");
            string idxLabels = Path.Combine(folder, "labels-idx1-ubyte");
            File.WriteAllBytes(idxImages, [0, 0, 8, 3, .. BigEndian(count), .. BigEndian(train.Height), .. BigEndian(train.Width), .. pixels]);
            File.WriteAllBytes(idxLabels, [0, 0, 8, 1, .. BigEndian(count), .. labels]);
            Console.WriteLine($"dataset pack benchmark: {count:N0} Fashion-MNIST records of {train.Width} x {train.Height}; written: pack {packSeconds:0.00} s, {count:N0} PNG files {pngSeconds:0.00} s");

            int[] order = [.. Enumerable.Range(0, count)];
            new Random(13).Shuffle(order);
            var rounds = new List<Round>();

            // One untimed round first: the JIT compiles the readers' code (the CRC's vector path among
            // it) to its final tier during the first tens of thousands of calls, which would otherwise
            // land in the first timed rounds of whichever reader runs first.
            ReadPackOnce(pack, DatasetPack.DefaultCacheBytes, order, pixels, labels, size);
            ReadPackOnce(pack, 0, order, pixels, labels, size);
            ReadPng(images, order, pixels, labels, size);
            ReadIdx(idxImages, idxLabels, order, pixels, labels, size);
            for (int round = 0; round < Rounds; round++)
            {
                double open = 0, firstPass = 0, laterPass = 0;
                Time(() =>
                {
                    var clock = Stopwatch.StartNew();
                    using DatasetPack opened = DatasetPack.Open(pack);
                    open = clock.Elapsed.TotalSeconds;
                    ReadPack(opened, order, pixels, labels, size);
                    firstPass = clock.Elapsed.TotalSeconds;
                    clock.Restart();
                    ReadPack(opened, order, pixels, labels, size);
                    laterPass = clock.Elapsed.TotalSeconds;
                });
                double uncached = Time(() => ReadPackOnce(pack, 0, order, pixels, labels, size));
                double png = Time(() => ReadPng(images, order, pixels, labels, size));
                double idx = Time(() => ReadIdx(idxImages, idxLabels, order, pixels, labels, size));
                rounds.Add(new Round(open, firstPass, laterPass, uncached, png, idx));
            }

            var median = new Round(
                Median(rounds.Select(r => r.Open)),
                Median(rounds.Select(r => r.FirstPass)),
                Median(rounds.Select(r => r.LaterPass)),
                Median(rounds.Select(r => r.Uncached)),
                Median(rounds.Select(r => r.Png)),
                Median(rounds.Select(r => r.Idx)));
            Console.WriteLine($"  random-access reads of all {count:N0} records, every one checked, median of {Rounds} alternating rounds after one untimed round:");
            Console.WriteLine($"  {"reader",-66} {"records/s",10} {"/ PNG",7} {"/ IDX",7}");
            Line("dataset pack, opened and read once (open, chunks read as met)", median.FirstPass);
            Line("dataset pack, read again while open (chunks in memory)", median.LaterPass);
            Line("dataset pack without its cache (open, one positioned read each)", median.Uncached);
            Line("one PNG file per image (open, read, decode)", median.Png);
            Line("uncompressed IDX files (open, positioned reads of image and label)", median.Idx);
            Console.WriteLine($"  opening the pack (index read, every slot checked): median {median.Open * 1000:0.0} ms; goals: pack >= 20x PNG files, >= 1x IDX");
            Console.WriteLine($"  rounds, pack read once / PNG: {string.Join(", ", rounds.Select(r => (r.Png / r.FirstPass).ToString("0.0")))}; read again / PNG: {string.Join(", ", rounds.Select(r => (r.Png / r.LaterPass).ToString("0.0")))}");

            void Line(string reader, double seconds) =>
                Console.WriteLine($"  {reader,-66} {count / seconds,10:N0} {median.Png / seconds,6:0.0}x {median.Idx / seconds,6:0.00}x");

            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void ReadPackOnce(string path, long cacheBytes, int[] order, byte[] pixels, byte[] labels, int size)
    {
        using DatasetPack pack = DatasetPack.Open(path, cacheBytes);
        ReadPack(pack, order, pixels, labels, size);
    }

    private static void ReadPack(DatasetPack pack, int[] order, byte[] pixels, byte[] labels, int size)
    {
        var image = new byte[size];
        foreach (int i in order)
        {
            Check(pack.Read(i, image), image, i, pixels, labels, size);
        }
    }

    private static void ReadPng(string folder, int[] order, byte[] pixels, byte[] labels, int size)
    {
        foreach (int i in order)
        {
            using FileStream stream = File.OpenRead(PngPath(folder, labels[i], i));
            Check(labels[i], ImageResult.FromStream(stream, ColorComponents.Grey).Data, i, pixels, labels, size);
        }
    }

    private static void ReadIdx(string imagesPath, string labelsPath, int[] order, byte[] pixels, byte[] labels, int size)
    {
        using var images = File.OpenHandle(imagesPath);
        using var labelFile = File.OpenHandle(labelsPath);
        var image = new byte[size];
        var label = new byte[1];
        foreach (int i in order)
        {
            RandomAccess.Read(images, image, 16 + ((long)i * size));
            RandomAccess.Read(labelFile, label, 8 + i);
            Check(label[0], image, i, pixels, labels, size);
        }
    }

    private static void Check(int label, ReadOnlySpan<byte> image, int i, byte[] pixels, byte[] labels, int size)
    {
        if (label != labels[i] || !image.SequenceEqual(pixels.AsSpan(i * size, size)))
        {
            throw new InvalidDataException($"record {i} read back wrong");
        }
    }

    // The class folder comes from the label, as an image-folder loader's index would hold it.
    private static string PngPath(string folder, int label, int i) => Path.Combine(folder, label.ToString("D2"), $"{i:D5}.png");

    private static byte[] BigEndian(int value) => [(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value];

    private static double Time(Action read)
    {
        var clock = Stopwatch.StartNew();
        read();
        return clock.Elapsed.TotalSeconds;
    }

    private static double Median(IEnumerable<double> values) => values.Order().ElementAt(Rounds / 2);

    /// <summary>One round's seconds per reader; the pack's first pass includes its open.</summary>
    private readonly record struct Round(double Open, double FirstPass, double LaterPass, double Uncached, double Png, double Idx);
}
