namespace CoDesign.Compression;

/// <summary>A report from gradual pruning: the step and its densities, and the retraining's own report when there is one.</summary>
/// <param name="Step">The pruning step, counting from 1.</param>
/// <param name="StepCount">Steps in the schedule.</param>
/// <param name="Densities">The per-layer densities of this step.</param>
/// <param name="Training">The retraining report, or null for the report made right after pruning.</param>
public sealed record PruningProgress(int Step, int StepCount, IReadOnlyList<double> Densities, TrainingProgress? Training)
{
    /// <summary>Fraction of the whole pruning schedule done, 0..1.</summary>
    public double Fraction => ((Step - 1) + (Training?.Fraction ?? 0)) / StepCount;
}
