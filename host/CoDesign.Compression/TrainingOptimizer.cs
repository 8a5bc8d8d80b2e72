namespace CoDesign.Compression;

/// <summary>How <see cref="MlpTrainer"/> turns gradients into parameter updates.</summary>
public enum TrainingOptimizer
{
    /// <summary>Adam (Kingma and Ba), with optional decoupled weight decay (AdamW).</summary>
    Adam,

    /// <summary>Stochastic gradient descent with heavy-ball momentum.</summary>
    SgdMomentum,
}
