using CoDesign.Model.Datasets;

namespace CoDesign.Model.Tests;

/// <summary>What train and compress read from <c>--data</c>: Fashion-MNIST's folder, or any one set with every sixth image held out.</summary>
public sealed class LabeledDataTests
{
    [Fact]
    public void Every_sixth_image_is_held_out_and_the_rest_kept_in_order()
    {
        byte[] labels = [.. Enumerable.Range(0, 14).Select(i => (byte)i)];
        var all = new LabeledImages([.. labels.Select(l => (byte)(l * 2))], labels, 1, 1);
        (LabeledImages kept, LabeledImages held) = LabeledData.HoldOut(all, 6);
        Assert.Equal([5, 11], held.Labels);
        Assert.Equal([10, 22], held.Pixels);
        Assert.Equal([0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 12, 13], kept.Labels);
        Assert.Equal(kept.Labels.Select(l => (byte)(l * 2)), kept.Pixels);
    }

    [Fact]
    public void The_Fashion_MNIST_folder_gives_its_training_and_test_files()
    {
        Assert.True(LabeledData.IsFashionMnistFolder(FashionMnist.DefaultDirectory));
        (LabeledImages train, LabeledImages evaluation, _) = LabeledData.LoadTrainingAndEvaluation(null, null);
        Assert.Equal(60_000, train.Count);
        Assert.Equal(10_000, evaluation.Count);
        Assert.Equal(10, LabeledData.ClassCount(train, evaluation));
    }

    [Fact]
    public void An_idx_file_alone_is_split_for_evaluation()
    {
        string images = Directory.GetFiles(FashionMnist.DefaultDirectory, "t10k-images-idx3-ubyte*").Order(StringComparer.Ordinal).First();
        (LabeledImages train, LabeledImages evaluation, string description) = LabeledData.LoadTrainingAndEvaluation(images, null);
        Assert.Equal(8_334, train.Count);
        Assert.Equal(1_666, evaluation.Count);
        Assert.Contains("every sixth", description, StringComparison.Ordinal);
    }

    [Fact]
    public void A_path_that_is_not_there_names_the_kinds_of_data_and_the_package()
    {
        FileNotFoundException e = Assert.Throws<FileNotFoundException>(() => LabeledData.LoadSet("/nonexistent-data", FashionMnistPart.Test));
        Assert.StartsWith("/nonexistent-data: no such file or folder", e.Message, StringComparison.Ordinal);
        Assert.Contains("dataset-fashion-mnist", e.Message, StringComparison.Ordinal);
    }
}
