using CoDesign.Model.Datasets;

namespace CoDesign.Compression.Tests;

/// <summary>
/// Small slices of Fashion-MNIST and a small network trained on them, shared by the tests and built
/// once: the tests need real images, but not the full training run.
/// </summary>
internal static class TestData
{
    private static readonly Lazy<LabeledImages> AllTraining = new(() => FashionMnist.LoadTraining());
    private static readonly Lazy<LabeledImages> AllTest = new(() => FashionMnist.LoadTest());
    private static readonly Lazy<DenseMlp> Trained = new(TrainSmallModel);

    /// <summary>The first 4,000 training images.</summary>
    public static LabeledImages Train => AllTraining.Value.Take(4000);

    /// <summary>The first 1,000 test images.</summary>
    public static LabeledImages Test => AllTest.Value.Take(1000);

    /// <summary>A 784-64-32-10 network trained for a few epochs on <see cref="Train"/>; clone before changing it.</summary>
    public static DenseMlp SmallModel => Trained.Value;

    /// <summary>Options for short training runs in tests.</summary>
    public static TrainingOptions QuickTraining => new() { Epochs = 4, BatchSize = 64, LearningRate = 2e-3f, Seed = 7, ReportsPerEpoch = 4 };

    /// <summary>A tiny network with random weights, for tests that need no training.</summary>
    public static DenseMlp RandomModel(int seed, params int[] sizes) => DenseMlp.CreateRandom(sizes, seed);

    private static DenseMlp TrainSmallModel()
    {
        DenseMlp model = DenseMlp.CreateRandom([784, 64, 32, 10], 3);
        MlpTrainer.Train(model, Train, QuickTraining);
        return model;
    }
}
