namespace CoDesign.Compression;

/// <summary>What <see cref="DensityPlanner"/> chose, and the sensitivity it chose from.</summary>
/// <param name="LayerDensities">Fraction of weights to keep per layer.</param>
/// <param name="DenseAccuracy">The unpruned network's accuracy on the calibration images.</param>
/// <param name="LayerAlone">Per layer, the calibration accuracy with that layer alone pruned to the ladder rung it got (before the leftover budget was shared out).</param>
/// <param name="CalibrationImages">Images the sensitivity was measured on.</param>
public sealed record DensityPlan(IReadOnlyList<double> LayerDensities, double DenseAccuracy, IReadOnlyList<double> LayerAlone, int CalibrationImages);
