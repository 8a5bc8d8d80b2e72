namespace CoDesign.Compression;

/// <summary>
/// Settings of one training run: minibatch size, optimizer and a cosine learning-rate schedule that
/// decays from <see cref="LearningRate"/> to <c>LearningRate * FinalLearningRateFraction</c>.
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>Passes over the training set.</summary>
    public int Epochs { get; init; } = 15;

    /// <summary>Images per minibatch.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>Learning rate at the start of the run.</summary>
    public float LearningRate { get; init; } = 1e-3f;

    /// <summary>Learning rate at the end of the run, as a fraction of <see cref="LearningRate"/> (cosine in between).</summary>
    public float FinalLearningRateFraction { get; init; } = 0.02f;

    /// <summary>The update rule.</summary>
    public TrainingOptimizer Optimizer { get; init; } = TrainingOptimizer.Adam;

    /// <summary>Momentum of <see cref="TrainingOptimizer.SgdMomentum"/> (ignored by Adam).</summary>
    public float Momentum { get; init; } = 0.9f;

    /// <summary>Decoupled weight decay per step, relative to the learning rate (0 = none). Biases are not decayed.</summary>
    public float WeightDecay { get; init; }

    /// <summary>Seed of the shuffling order: the same seed, data and model give the same result on the same machine.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Progress reports per epoch (besides the one at the end of each epoch).</summary>
    public int ReportsPerEpoch { get; init; } = 20;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (Epochs < 0)
        {
            throw new ArgumentException($"epochs must be 0 or more, not {Epochs}");
        }

        if (BatchSize < 1)
        {
            throw new ArgumentException($"batch size must be at least 1, not {BatchSize}");
        }

        if (!(LearningRate > 0) || !float.IsFinite(LearningRate))
        {
            throw new ArgumentException($"learning rate must be a positive number, not {LearningRate}");
        }

        if (FinalLearningRateFraction is < 0 or > 1)
        {
            throw new ArgumentException($"final learning-rate fraction must be in 0..1, not {FinalLearningRateFraction}");
        }

        if (Momentum is < 0 or >= 1)
        {
            throw new ArgumentException($"momentum must be in [0, 1), not {Momentum}");
        }

        if (WeightDecay < 0 || !float.IsFinite(WeightDecay))
        {
            throw new ArgumentException($"weight decay must be 0 or more, not {WeightDecay}");
        }

        if (ReportsPerEpoch < 0)
        {
            throw new ArgumentException($"reports per epoch must be 0 or more, not {ReportsPerEpoch}");
        }
    }

    /// <summary>The learning rate after <paramref name="step"/> of <paramref name="totalSteps"/> steps.</summary>
    internal float LearningRateAt(long step, long totalSteps)
    {
        if (totalSteps <= 1)
        {
            return LearningRate;
        }

        double progress = Math.Clamp((double)step / (totalSteps - 1), 0, 1);
        double cosine = 0.5 * (1 + Math.Cos(Math.PI * progress));
        return (float)(LearningRate * (FinalLearningRateFraction + ((1 - FinalLearningRateFraction) * cosine)));
    }
}
