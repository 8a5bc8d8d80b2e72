namespace CoDesign.Runtime.Spmv;

/// <summary>What running a product's plan returned and cost.</summary>
/// <param name="PassOutputs">Each pass's raw outputs, plane after plane; combine them with the plan.</param>
/// <param name="Runs">Run requests' inputs: passes times vector planes.</param>
/// <param name="Cycles">Device cycles over all passes.</param>
/// <param name="Entries">CCS entries the PEs consumed.</param>
/// <param name="Broadcasts">Nonzero activations broadcast to the PEs.</param>
/// <param name="LinkBytes">Wire bytes both ways, deploys included.</param>
public sealed record SpmvRun(IReadOnlyList<int[]> PassOutputs, long Runs, long Cycles, long Entries, long Broadcasts, long LinkBytes);
