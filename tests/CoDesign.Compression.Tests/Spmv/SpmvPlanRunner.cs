using CoDesign.Model;
using CoDesign.Model.Spmv;

namespace CoDesign.Compression.Tests.Spmv;

/// <summary>Runs a plan's passes through the dense integer reference (what every device must compute) instead of a device.</summary>
internal static class SpmvPlanRunner
{
    public static int[][] Run(SpmvPlan plan) =>
        [.. plan.Passes.Select(pass =>
        {
            var reference = new DenseIntegerReference(pass.Model);
            return plan.Planes.SelectMany(plane => reference.Forward(plane.Values.AsSpan(pass.ColStart, pass.Cols).ToArray())).ToArray();
        })];
}
