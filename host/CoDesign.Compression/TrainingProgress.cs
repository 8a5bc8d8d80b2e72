namespace CoDesign.Compression;

/// <summary>A snapshot of a training run, reported during each epoch and at its end.</summary>
/// <param name="Epoch">The current epoch, counting from 1.</param>
/// <param name="EpochCount">Epochs in the run.</param>
/// <param name="Batch">Minibatches done in this epoch.</param>
/// <param name="BatchCount">Minibatches per epoch.</param>
/// <param name="Loss">Mean cross-entropy over the epoch's minibatches so far.</param>
/// <param name="Accuracy">Fraction of the epoch's training images so far that the network got right (before its update).</param>
/// <param name="ValidationAccuracy">Accuracy on the validation set, at the end of an epoch when one was given; otherwise null.</param>
/// <param name="LearningRate">The learning rate of the latest step.</param>
/// <param name="Elapsed">Time since the run started.</param>
public sealed record TrainingProgress(
    int Epoch,
    int EpochCount,
    int Batch,
    int BatchCount,
    double Loss,
    double Accuracy,
    double? ValidationAccuracy,
    float LearningRate,
    TimeSpan Elapsed)
{
    /// <summary>True for the report that closes an epoch.</summary>
    public bool IsEndOfEpoch => Batch == BatchCount;

    /// <summary>Fraction of the whole run done, 0..1 (for a progress bar).</summary>
    public double Fraction => EpochCount == 0 || BatchCount == 0 ? 1 : ((Epoch - 1) + ((double)Batch / BatchCount)) / EpochCount;
}
