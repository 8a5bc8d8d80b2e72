namespace CoDesign.Model.Datasets;

/// <summary>The labelled images a <c>--data</c> option names for inference: a dataset pack, an IDX file, an image folder, or a folder with the Fashion-MNIST IDX test files.</summary>
public static class TestSet
{
    /// <summary>
    /// Reads <paramref name="data"/>: a pack's index file (<c>.cdsp</c>), an IDX images file, an image
    /// folder (one subfolder per class), or the Fashion-MNIST test files in that folder (Debian's folder when null).
    /// </summary>
    public static LabeledImages Load(string? data) => LabeledData.LoadSet(data, FashionMnistPart.Test);
}
