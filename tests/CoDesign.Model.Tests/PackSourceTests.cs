using CoDesign.Model.Datasets;
using CoDesign.Model.Datasets.Packs;
using CoDesign.TestSupport;

namespace CoDesign.Model.Tests;

/// <summary>
/// What <c>codesign pack</c> reads: an image folder (one subfolder per class, PNG and PGM decoded to
/// grey, labels from the sorted folder names) and IDX files; a bad image names its file.
/// </summary>
public sealed class PackSourceTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("codesign-source-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void An_image_folder_packs_with_sorted_class_names_as_labels_and_reads_back_exactly()
    {
        var random = new Random(3);
        var expected = new Dictionary<(int Label, string Name), byte[]>();
        foreach ((string cls, int label) in new[] { ("boot", 0), ("coat", 1), ("dress", 2) })
        {
            Directory.CreateDirectory(Path.Combine(_folder, "src", cls));
            for (int i = 0; i < 4; i++)
            {
                var pixels = new byte[6 * 5];
                random.NextBytes(pixels);
                bool png = i % 2 == 0;
                File.WriteAllBytes(Path.Combine(_folder, "src", cls, $"{i}.{(png ? "png" : "pgm")}"), png ? ImageFiles.Png(6, 5, pixels) : ImageFiles.Pgm(6, 5, pixels));
                expected[(label, $"{cls}/{i}")] = pixels;
            }
        }

        File.WriteAllText(Path.Combine(_folder, "src", "coat", "notes.txt"), "not an image, not a record");

        PackSource source = PackSource.Open(Path.Combine(_folder, "src"));
        string pack = Path.Combine(_folder, "data.cdsp");
        using (var writer = new DatasetPackWriter(pack, source.Width, source.Height, source.Classes))
        {
            foreach ((int label, byte[] pixels) in source.Records())
            {
                writer.Add(label, pixels);
            }

            writer.Complete();
        }

        LabeledImages read = TestSet.Load(pack);
        Assert.Equal((12, 6, 5), (read.Count, read.Width, read.Height));
        Assert.Equal(["boot", "coat", "dress"], source.Classes);
        int at = 0;
        foreach (((int label, string _), byte[] pixels) in expected.OrderBy(e => e.Key.Label).ThenBy(e => e.Key.Name, StringComparer.Ordinal))
        {
            Assert.Equal(label, read.Labels[at]);
            Assert.Equal(pixels, read.Image(at).ToArray());
            at++;
        }
    }

    [Fact]
    public void A_file_that_is_no_image_is_named()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "src", "a"));
        File.WriteAllBytes(Path.Combine(_folder, "src", "a", "0.png"), ImageFiles.Png(2, 2, new byte[4]));
        File.WriteAllText(Path.Combine(_folder, "src", "a", "1.png"), "this is text");

        PackSource source = PackSource.Open(Path.Combine(_folder, "src"));
        var error = Assert.Throws<InvalidDataException>(() => source.Records().ToList());

        Assert.Contains("1.png: not an image", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_image_of_another_size_is_named_with_both_sizes()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "src", "a"));
        File.WriteAllBytes(Path.Combine(_folder, "src", "a", "0.pgm"), ImageFiles.Pgm(2, 2, new byte[4]));
        File.WriteAllBytes(Path.Combine(_folder, "src", "a", "1.pgm"), ImageFiles.Pgm(3, 2, new byte[6]));

        var error = Assert.Throws<InvalidDataException>(() => PackSource.Open(Path.Combine(_folder, "src")).Records().ToList());

        Assert.Contains("1.pgm: 3 x 2 pixels; the pack's images are 2 x 2", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("empty folder", "no class subfolders")]
    [InlineData("no labels", "its labels file")]
    [InlineData("other file", "not an IDX images file")]
    public void A_source_that_is_not_one_says_why(string kind, string message)
    {
        string source = kind switch
        {
            "empty folder" => _folder,
            "no labels" => Path.Combine(_folder, "t10k-images-idx3-ubyte"),
            _ => Path.Combine(_folder, "pictures.zip"),
        };
        if (kind != "empty folder")
        {
            File.WriteAllBytes(source, [0, 0, 8, 3, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1]);
        }

        Exception error = Assert.ThrowsAny<Exception>(() => PackSource.Open(source));
        Assert.True(error is InvalidDataException or FileNotFoundException, error.GetType().Name);

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
