namespace CoDesign.Compression;

/// <summary>A report from <see cref="ModelCompressor"/>.</summary>
/// <param name="Stage">The stage running.</param>
/// <param name="Description">What is happening, for a status line.</param>
/// <param name="Fraction">Fraction of the whole pipeline done, 0..1, estimated from the epochs of each stage.</param>
/// <param name="Training">The current training run's own report, when a training run is going on.</param>
public sealed record CompressionProgress(CompressionStage Stage, string Description, double Fraction, TrainingProgress? Training);
