using CoDesign.Compression.Spmv;
using CoDesign.Model.MatrixMarket;
using CoDesign.Model.Spmv;

namespace CoDesign.Compression.Tests.Spmv;

public class ApproximateSpmvTests
{
    [Fact]
    public void ARealMatrixIsClusteredAndTheErrorIsMeasuredPerElement()
    {
        var matrix = new SparseMatrixData(3, 3, [new(0, 0, 0.5), new(1, 1, -1.25), new(2, 2, 3.14159), new(0, 2, 2.5e-3)]);
        double[] x = [10, 20, 30];
        SpmvPlan plan = SpmvPlanner.Plan(matrix, VectorPlanes.Split([10, 20, 30]), new SpmvOptions(2, Approximate: true), SpmvTileLimits.None);
        double[] y = plan.CombineApproximate(SpmvPlanRunner.Run(plan));

        Assert.False(plan.IsExact);
        Assert.Equal(5.075, y[0], 0.01);
        Assert.Equal(-25, y[1], 0.01);
        Assert.Equal(94.2477, y[2], 0.01);
        ApproximationError error = ApproximationError.Measure(matrix, x, y);
        Assert.InRange(error.WorstRelative, 1e-9, 1e-3);
    }

    [Fact]
    public void ASmallElementsLargeErrorIsNotHiddenBehindALargeElement()
    {
        var matrix = new SparseMatrixData(2, 1, [new(0, 0, 1), new(1, 0, 1000)]);
        ApproximationError error = ApproximationError.Measure(matrix, [1], [2, 1000]);
        Assert.Equal(1.0, error.WorstRelative); // 100 % on row 1, though it is 0.1 % of the largest value
        Assert.Equal(0, error.WorstRelativeRow);
    }

    [Fact]
    public void WrappingIsRefusedForAnApproximateProduct()
    {
        var matrix = new SparseMatrixData(1, 1, [new(0, 0, 0.5)]);
        Assert.Throws<ArgumentException>(() => SpmvPlanner.Code(matrix, VectorPlanes.Split([1]), new SpmvOptions(1, Approximate: true, Wrap: true)));
    }
}
