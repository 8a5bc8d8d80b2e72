namespace CoDesign.Compression;

/// <summary>A dense network read from a <c>.cdsd</c> file, with the facts its maker recorded.</summary>
/// <param name="Model">The network.</param>
/// <param name="Metadata">Free-form key/value facts (accuracy, seed, training time).</param>
public sealed record DenseCheckpoint(DenseMlp Model, IReadOnlyDictionary<string, string> Metadata);
