namespace CoDesign.Compression;

/// <summary>How a training run ended.</summary>
/// <param name="Loss">Mean cross-entropy over the last epoch (NaN when no epoch ran).</param>
/// <param name="TrainingAccuracy">Running accuracy over the last epoch's training images.</param>
/// <param name="ValidationAccuracy">Accuracy on the validation set after the run, when one was given.</param>
/// <param name="Elapsed">Wall time of the run.</param>
public sealed record TrainingSummary(double Loss, double TrainingAccuracy, double? ValidationAccuracy, TimeSpan Elapsed);
