using System.IO.Compression;
using CoDesign.Model.Datasets;

namespace CoDesign.Model.Tests;

/// <summary>The Fashion-MNIST loader: its error when the data is missing, a tiny fake set, and the real set.</summary>
public sealed class FashionMnistTests
{
    [Fact]
    public void AMissingDirectoryNamesThePackageAndTheInstallCommand()
    {
        string missing = Path.Combine(Path.GetTempPath(), $"no-fashion-mnist-{Guid.NewGuid():N}");
        FileNotFoundException e = Assert.Throws<FileNotFoundException>(() => FashionMnist.LoadTest(missing));
        Assert.Contains("dataset-fashion-mnist", e.Message, StringComparison.Ordinal);
        Assert.Contains("apt-get install dataset-fashion-mnist", e.Message, StringComparison.Ordinal);
        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
        Assert.Contains("t10k-images-idx3-ubyte", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadsATinyFakeSetFromPlainAndGzipFiles()
    {
        string directory = Directory.CreateTempSubdirectory("fmnist-test-").FullName;
        try
        {
            // Three 2 (rows) x 4 (columns) images, plain; their labels gzip-compressed.
            byte[] images = [0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 4, .. Enumerable.Range(0, 24).Select(i => (byte)(i * 10))];
            File.WriteAllBytes(Path.Combine(directory, "t10k-images-idx3-ubyte"), images);
            using (var gzip = new GZipStream(File.Create(Path.Combine(directory, "t10k-labels-idx1-ubyte.gz")), CompressionLevel.Fastest))
            {
                gzip.Write([0, 0, 8, 1, 0, 0, 0, 3, 9, 0, 4]);
            }

            LabeledImages set = FashionMnist.LoadTest(directory);
            Assert.Equal(3, set.Count);
            Assert.Equal(4, set.Width);
            Assert.Equal(2, set.Height);
            Assert.Equal(8, set.ImageSize);
            Assert.Equal([9, 0, 4], set.Labels);
            Assert.Equal(images[(16 + 8)..(16 + 16)], set.Image(1).ToArray());
            Assert.Equal(2, set.Take(2).Count);
            Assert.Equal(3, set.Take(10).Count);

            // Labels that disagree with the images in count are refused.
            File.WriteAllBytes(Path.Combine(directory, "t10k-labels-idx1-ubyte"), [0, 0, 8, 1, 0, 0, 0, 2, 1, 2]);
            File.Delete(Path.Combine(directory, "t10k-labels-idx1-ubyte.gz"));
            Assert.Throws<InvalidDataException>(() => FashionMnist.LoadTest(directory));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void TheInstalledTestSetHas10000LabeledImagesOf28By28()
    {
        LabeledImages test = FashionMnist.LoadTest();
        Assert.Equal(10_000, test.Count);
        Assert.Equal(28, test.Width);
        Assert.Equal(28, test.Height);
        Assert.Equal(10_000 * 28 * 28, test.Pixels.Length);
        Assert.All(test.Labels, label => Assert.InRange(label, (byte)0, (byte)9));

        // The test set is balanced: 1,000 images per class.
        Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(1000, test.Labels.Count(l => l == c)));
        Assert.Equal(10, FashionMnist.ClassNames.Count);

        // Images are not blank.
        Assert.Contains(test.Image(0).ToArray(), p => p != 0);
    }
}
