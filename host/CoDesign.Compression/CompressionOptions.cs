namespace CoDesign.Compression;

/// <summary>
/// Settings of the whole compression pipeline (<see cref="ModelCompressor"/>). <see cref="Seed"/>
/// seeds everything: the initial weights and the shuffling of every training stage (each stage
/// offsets it), so the seeds inside the nested <see cref="TrainingOptions"/> are ignored.
/// </summary>
public sealed record CompressionOptions
{
    /// <summary>Name recorded in the model file.</summary>
    public string ModelName { get; init; } = "fashion-mnist-mlp";

    /// <summary>Hidden layer sizes of the network trained by <see cref="ModelCompressor.TrainAndCompress"/>.</summary>
    public IReadOnlyList<int> HiddenSizes { get; init; } = [256, 128];

    /// <summary>Seed of initialisation and of every training stage.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Dense training (used by <see cref="ModelCompressor.TrainAndCompress"/> only).</summary>
    public TrainingOptions DenseTraining { get; init; } = new() { Epochs = 25, LearningRate = 1e-3f };

    /// <summary>
    /// Fraction of weights kept per layer, one per weight layer. The defaults keep 9.9% of the
    /// 784-256-128-10 network's weights: the big first layer is pruned hardest, the small last
    /// layer, where every weight sees a whole class, least.
    /// </summary>
    public IReadOnlyList<double> LayerDensities { get; init; } = [0.09, 0.12, 0.5];

    /// <summary>Pruning steps of the gradual schedule; each is followed by <see cref="PruningRetraining"/>.</summary>
    public int PruningSteps { get; init; } = 4;

    /// <summary>Retraining after each pruning step.</summary>
    public TrainingOptions PruningRetraining { get; init; } = new() { Epochs = 5, LearningRate = 5e-4f };

    /// <summary>Fine-tuning of the shared values (codebook centroids) and biases after clustering.</summary>
    public TrainingOptions CodebookFineTuning { get; init; } = new() { Epochs = 3, LearningRate = 2e-4f };

    /// <summary>Processing elements the rows are interleaved over.</summary>
    public int PeCount { get; init; } = 4;

    /// <summary>Percentile of hidden activations mapped near 255; see <see cref="QuantizationOptions.ActivationPercentile"/>.</summary>
    public double ActivationPercentile { get; init; } = 99.9;

    /// <summary>Training images used to calibrate activation ranges.</summary>
    public int CalibrationImages { get; init; } = 10_000;

    /// <summary>
    /// These options with twice the pruning steps, retraining epochs and fine-tuning epochs: smaller
    /// steps and more retraining between them recover more accuracy at the same densities, for twice
    /// the time (what <c>codesign compress</c> retries with when a plan of its own misses its goal).
    /// </summary>
    public CompressionOptions WithLongerRetraining() => this with
    {
        PruningSteps = PruningSteps * 2,
        PruningRetraining = PruningRetraining with { Epochs = PruningRetraining.Epochs * 2 },
        CodebookFineTuning = CodebookFineTuning with { Epochs = CodebookFineTuning.Epochs * 2 },
    };

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ModelName);
        if (HiddenSizes.Any(size => size < 1))
        {
            throw new ArgumentException($"hidden sizes must be positive: {string.Join(",", HiddenSizes)}");
        }

        if (LayerDensities.Any(d => !(d is > 0 and <= 1)))
        {
            throw new ArgumentException($"layer densities must be in (0, 1]: {string.Join(",", LayerDensities)}");
        }

        if (PruningSteps < 1)
        {
            throw new ArgumentException($"pruning needs at least one step, not {PruningSteps}");
        }

        DenseTraining.Validate();
        PruningRetraining.Validate();
        CodebookFineTuning.Validate();
        Quantization.Validate();
    }

    /// <summary>The quantizer's settings drawn from these options.</summary>
    internal QuantizationOptions Quantization => new()
    {
        PeCount = PeCount,
        ActivationPercentile = ActivationPercentile,
        CalibrationImages = CalibrationImages,
    };
}
