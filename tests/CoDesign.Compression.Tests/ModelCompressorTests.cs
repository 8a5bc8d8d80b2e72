using System.Globalization;
using CoDesign.Model;

namespace CoDesign.Compression.Tests;

public class ModelCompressorTests
{
    private static CompressionOptions SmallOptions => new()
    {
        ModelName = "tiny",
        HiddenSizes = [48, 24],
        Seed = 5,
        DenseTraining = TestData.QuickTraining with { Epochs = 3 },
        LayerDensities = [0.1, 0.2, 0.6],
        PruningSteps = 2,
        PruningRetraining = TestData.QuickTraining with { Epochs = 1, LearningRate = 1e-3f },
        CodebookFineTuning = TestData.QuickTraining with { Epochs = 1, LearningRate = 2e-4f },
        PeCount = 3,
        CalibrationImages = 1000,
    };

    [Fact]
    public void TrainAndCompressProducesAnAccurateSparseIntegerModel()
    {
        var reports = new List<CompressionProgress>();
        CompressionResult result = ModelCompressor.TrainAndCompress(TestData.Train, TestData.Test, SmallOptions, new ListProgress<CompressionProgress>(reports));
        SparseModel model = result.Model;

        Assert.Equal("tiny", model.Name);
        Assert.Equal(3, model.PeCount);
        Assert.Equal([784, 48, 24, 10], result.Dense.LayerSizes);
        Assert.Equal(Math.Round(0.1 * 784 * 48), model.Layers[0].Weights.NonzeroCount);
        Assert.Equal(Math.Round(0.2 * 48 * 24), model.Layers[1].Weights.NonzeroCount);
        Assert.Equal(Math.Round(0.6 * 24 * 10), model.Layers[2].Weights.NonzeroCount);
        Assert.Equal(model.Layers.Select(l => l.Weights.Density), result.LayerDensities);
        Assert.Equal((double)result.Shared.NonzeroWeightCount / result.Shared.WeightCount, result.Density, 9);

        Assert.True(result.DenseAccuracy > 0.75, $"dense {result.DenseAccuracy}");
        Assert.True(result.IntegerAccuracy > result.DenseAccuracy - 0.05, $"integer {result.IntegerAccuracy} vs dense {result.DenseAccuracy}");
        Assert.True(Math.Abs(result.IntegerAccuracy - result.SharedAccuracy) <= 0.02, $"integer {result.IntegerAccuracy} vs shared float {result.SharedAccuracy}");
        Assert.Equal(result.IntegerAccuracy, ModelCompressor.IntegerAccuracy(model, TestData.Test));
        Assert.Equal(result.IntegerAccuracy, double.Parse(model.Metadata["integer_accuracy"], CultureInfo.InvariantCulture), 6);
        Assert.Equal("5", model.Metadata["seed"]);
        foreach (string key in new[] { "dense_accuracy", "density", "layer0.density", "layer2.density", "training_seconds", "compression_seconds" })
        {
            Assert.True(model.Metadata.ContainsKey(key), $"metadata lacks {key}");
        }

        double[] fractions = [.. reports.Select(r => r.Fraction)];
        Assert.Equal(fractions.Order(), fractions);
        Assert.Equal(1.0, fractions[^1]);
        Assert.Equal(Enum.GetValues<CompressionStage>(), reports.Select(r => r.Stage).Distinct().Order());
        Assert.True(result.TrainingTime > TimeSpan.Zero);
    }

    [Fact]
    public void LongerRetrainingDoublesTheStepsAndEpochsAndKeepsTheRest()
    {
        CompressionOptions small = SmallOptions;
        CompressionOptions longer = small.WithLongerRetraining();

        Assert.Equal((4, 2, 2), (longer.PruningSteps, longer.PruningRetraining.Epochs, longer.CodebookFineTuning.Epochs));
        Assert.Equal(small with { PruningSteps = 4, PruningRetraining = longer.PruningRetraining, CodebookFineTuning = longer.CodebookFineTuning }, longer);
        Assert.Equal(small.PruningRetraining with { Epochs = 2 }, longer.PruningRetraining);
        Assert.Equal(small.CodebookFineTuning with { Epochs = 2 }, longer.CodebookFineTuning);
    }

    [Fact]
    public void CompressLeavesTheDenseNetworkAlone()
    {
        DenseMlp dense = TestData.SmallModel;
        DenseMlp copy = dense.Clone();
        CompressionResult result = ModelCompressor.Compress(dense, TestData.Train.Take(2000), TestData.Test.Take(300), SmallOptions with { PruningSteps = 1 });

        for (int l = 0; l < dense.LayerCount; l++)
        {
            Assert.Equal(copy.Weights[l], dense.Weights[l]);
        }

        Assert.Same(dense, result.Dense);
        Assert.Equal(TimeSpan.Zero, result.TrainingTime);
        Assert.Equal("0", result.Model.Metadata["dense_epochs"]);
    }

    [Fact]
    public void DensitiesMustMatchTheLayers()
    {
        var error = Assert.Throws<ArgumentException>(() => ModelCompressor.Compress(TestData.SmallModel, TestData.Train.Take(100), TestData.Test.Take(100), SmallOptions with { LayerDensities = [0.1, 0.2] }));
        Assert.Contains("2 layer densities", error.Message);
    }

    [Fact]
    public void TrainAndCompressChecksTheDensitiesBeforeTraining()
    {
        var reports = new List<CompressionProgress>();
        var error = Assert.Throws<ArgumentException>(() => ModelCompressor.TrainAndCompress(
            TestData.Train, TestData.Test, SmallOptions with { LayerDensities = [0.1, 0.2, 0.3, 0.4] }, new ListProgress<CompressionProgress>(reports)));
        Assert.Contains("4 layer densities for a network of 3 layers", error.Message);
        Assert.Empty(reports);
    }
}
