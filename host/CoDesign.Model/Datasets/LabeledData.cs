using CoDesign.Model.Datasets.Packs;

namespace CoDesign.Model.Datasets;

/// <summary>
/// What a <c>--data</c> option names, read whole into memory for training, calibration and inference:
/// a dataset pack (<c>.cdsp</c> index), an IDX images file (its labels file beside it), a folder in the
/// ImageFolder convention (one subfolder of images per class), or a folder with Fashion-MNIST's four
/// IDX files (Debian's folder when none is named).
/// </summary>
public static class LabeledData
{
    /// <summary>
    /// The training set and the set accuracies are reported on. <paramref name="data"/> null or a
    /// Fashion-MNIST folder: its training and test files. Any other set trains on five of every six
    /// records and holds out the sixth, unless <paramref name="testData"/> names the evaluation set.
    /// </summary>
    public static (LabeledImages Train, LabeledImages Evaluation, string Description) LoadTrainingAndEvaluation(string? data, string? testData)
    {
        LabeledImages train;
        LabeledImages evaluation;
        string description;
        if (data is null || IsFashionMnistFolder(data))
        {
            train = FashionMnist.LoadTraining(data);
            evaluation = testData is null ? FashionMnist.LoadTest(data) : LoadSet(testData, FashionMnistPart.Test);
            description = $"{train.Count:N0} Fashion-MNIST training images, evaluated on {(testData is null ? $"its {evaluation.Count:N0} test images" : $"{evaluation.Count:N0} images of {testData}")}";
        }
        else if (testData is not null)
        {
            train = LoadSet(data, FashionMnistPart.Training);
            evaluation = LoadSet(testData, FashionMnistPart.Test);
            description = $"{train.Count:N0} images of {data}, evaluated on {evaluation.Count:N0} images of {testData}";
        }
        else
        {
            LabeledImages all = LoadSet(data, FashionMnistPart.Training);
            if (all.Count < 6)
            {
                throw new InvalidDataException($"{data}: {all.Count} images are too few to hold one in six out for evaluation; name an evaluation set with --test-data");
            }

            (train, evaluation) = HoldOut(all, 6);
            description = $"{train.Count:N0} images of {data}, evaluated on the {evaluation.Count:N0} held out (every sixth)";
        }

        if (evaluation.ImageSize != train.ImageSize)
        {
            throw new InvalidDataException($"{testData}: its images are {evaluation.Width} x {evaluation.Height}; the training images are {train.Width} x {train.Height}");
        }

        return (train, evaluation, description);
    }

    /// <summary>One set: a pack, an IDX images file, an ImageFolder folder, or <paramref name="part"/> of a Fashion-MNIST folder (Debian's when null).</summary>
    public static LabeledImages LoadSet(string? data, FashionMnistPart part)
    {
        if (data is null || IsFashionMnistFolder(data))
        {
            return part == FashionMnistPart.Training ? FashionMnist.LoadTraining(data) : FashionMnist.LoadTest(data);
        }

        if (File.Exists(data) && !Path.GetFileName(data).Contains("-images-idx3-ubyte", StringComparison.Ordinal))
        {
            using DatasetPack pack = DatasetPack.Open(data);
            return pack.ReadAll();
        }

        if (!File.Exists(data) && !Directory.Exists(data))
        {
            throw new FileNotFoundException($"{data}: no such file or folder (a dataset pack, an IDX images file, an image folder with one subfolder per class, or a folder with the Fashion-MNIST IDX files, which Debian's dataset-fashion-mnist package installs)");
        }

        return PackSource.Open(data).ReadAll();
    }

    /// <summary>Classes the labels of <paramref name="sets"/> call for: the largest label plus one.</summary>
    public static int ClassCount(params LabeledImages[] sets) => sets.Max(s => s.Labels.DefaultIfEmpty().Max()) + 1;

    /// <summary>Whether <paramref name="folder"/> holds Fashion-MNIST's training and test images as IDX files (gzipped or not).</summary>
    public static bool IsFashionMnistFolder(string folder) =>
        Directory.Exists(folder)
        && new[] { "train-images-idx3-ubyte", "t10k-images-idx3-ubyte" }.All(stem => File.Exists(Path.Combine(folder, stem)) || File.Exists(Path.Combine(folder, stem + ".gz")));

    /// <summary>Splits off every <paramref name="every"/>-th record (the last of each group) for evaluation.</summary>
    public static (LabeledImages Kept, LabeledImages HeldOut) HoldOut(LabeledImages all, int every)
    {
        int heldCount = all.Count / every;
        int keptCount = all.Count - heldCount;
        var keptPixels = new byte[(long)keptCount * all.ImageSize];
        var keptLabels = new byte[keptCount];
        var heldPixels = new byte[(long)heldCount * all.ImageSize];
        var heldLabels = new byte[heldCount];
        int k = 0;
        int h = 0;
        for (int i = 0; i < all.Count; i++)
        {
            if (i % every == every - 1)
            {
                all.Image(i).CopyTo(heldPixels.AsSpan(h * all.ImageSize));
                heldLabels[h++] = all.Labels[i];
            }
            else
            {
                all.Image(i).CopyTo(keptPixels.AsSpan(k * all.ImageSize));
                keptLabels[k++] = all.Labels[i];
            }
        }

        return (new LabeledImages(keptPixels, keptLabels, all.Width, all.Height), new LabeledImages(heldPixels, heldLabels, all.Width, all.Height));
    }
}
