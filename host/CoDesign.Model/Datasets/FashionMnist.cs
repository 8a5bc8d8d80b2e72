namespace CoDesign.Model.Datasets;

/// <summary>
/// Fashion-MNIST (Zalando; 28x28 grayscale, 10 classes, 60,000 training and 10,000 test images) as
/// Debian's <c>dataset-fashion-mnist</c> package installs it.
/// </summary>
public static class FashionMnist
{
    /// <summary>Where Debian's package puts the files.</summary>
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>The class names, by label.</summary>
    public static readonly IReadOnlyList<string> ClassNames =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>The 60,000 training images.</summary>
    public static LabeledImages LoadTraining(string? directory = null) => Load(directory, "train");

    /// <summary>The 10,000 test images.</summary>
    public static LabeledImages LoadTest(string? directory = null) => Load(directory, "t10k");

    private static LabeledImages Load(string? directory, string prefix)
    {
        directory ??= DefaultDirectory;
        string images = Locate(directory, $"{prefix}-images-idx3-ubyte");
        string labels = Locate(directory, $"{prefix}-labels-idx1-ubyte");
        LabeledImages set = IdxReader.ReadLabeled(images, labels);

        // A label past the last class would index outside the network's outputs much later, in training.
        int stray = Array.FindIndex(set.Labels, label => label >= ClassNames.Count);
        if (stray >= 0)
        {
            throw new InvalidDataException($"{labels}: label {set.Labels[stray]} of image {stray} is not a class (0..{ClassNames.Count - 1})");
        }

        return set;
    }

    private static string Locate(string directory, string stem)
    {
        foreach (string candidate in new[] { stem + ".gz", stem })
        {
            string path = Path.Combine(directory, candidate);
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new FileNotFoundException(
            $"Fashion-MNIST file {stem}(.gz) not found in {directory}. Install Debian's package: " +
            "sudo apt-get install dataset-fashion-mnist (or pass the folder that holds the IDX files).");
    }
}
