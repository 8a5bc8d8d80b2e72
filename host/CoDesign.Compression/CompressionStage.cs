namespace CoDesign.Compression;

/// <summary>The stages of <see cref="ModelCompressor"/>, in order.</summary>
public enum CompressionStage
{
    /// <summary>Training the dense float network.</summary>
    DenseTraining,

    /// <summary>Gradual magnitude pruning with retraining.</summary>
    Pruning,

    /// <summary>k-means weight sharing and fine-tuning of the shared values.</summary>
    WeightSharing,

    /// <summary>Conversion to the integer model.</summary>
    Quantization,

    /// <summary>Measuring accuracies on the evaluation set.</summary>
    Evaluation,
}
