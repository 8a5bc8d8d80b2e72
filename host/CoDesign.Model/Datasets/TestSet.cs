using CoDesign.Model.Datasets.Packs;

namespace CoDesign.Model.Datasets;

/// <summary>The labelled images a <c>--data</c> option names for inference: a dataset pack, or a folder with the Fashion-MNIST IDX test files.</summary>
public static class TestSet
{
    /// <summary>
    /// Reads <paramref name="data"/>: a pack's index file (<c>.cdsp</c>) whole, else the Fashion-MNIST
    /// test files in that folder (Debian's folder when null).
    /// </summary>
    public static LabeledImages Load(string? data)
    {
        if (data is null || !File.Exists(data))
        {
            return FashionMnist.LoadTest(data);
        }

        using DatasetPack pack = DatasetPack.Open(data);
        return pack.ReadAll();
    }
}
