using CoDesign.Model;

namespace CoDesign.Compression;

/// <summary>What <see cref="ModelCompressor"/> produced and how well it works.</summary>
/// <param name="Model">The integer sparse model (metadata filled in).</param>
/// <param name="Dense">The dense float network the compression started from.</param>
/// <param name="Shared">The pruned, weight-shared float network the integer model was quantized from.</param>
/// <param name="Codebooks">Per layer, the shared values and every weight's index.</param>
/// <param name="DenseAccuracy">Accuracy of <paramref name="Dense"/> on the evaluation set.</param>
/// <param name="SharedAccuracy">Accuracy of <paramref name="Shared"/> on the evaluation set.</param>
/// <param name="IntegerAccuracy">Accuracy of <paramref name="Model"/> under <see cref="DenseIntegerReference"/> on the evaluation set.</param>
/// <param name="LayerDensities">Fraction of nonzero weights per layer of the integer model.</param>
/// <param name="Density">Fraction of nonzero weights over all layers.</param>
/// <param name="TrainingTime">Wall time of dense training (zero when the dense network was given).</param>
/// <param name="CompressionTime">Wall time of pruning, weight sharing, quantization and evaluation.</param>
public sealed record CompressionResult(
    SparseModel Model,
    DenseMlp Dense,
    DenseMlp Shared,
    IReadOnlyList<WeightCodebook> Codebooks,
    double DenseAccuracy,
    double SharedAccuracy,
    double IntegerAccuracy,
    IReadOnlyList<double> LayerDensities,
    double Density,
    TimeSpan TrainingTime,
    TimeSpan CompressionTime);
