using CoDesign.KernelCompiler.Ir;

namespace CoDesign.KernelCompiler.Tests;

/// <summary>
/// Table recomputation replaces a local table by its fill expression at the reads only where every
/// read must see the fill's values; the corpus (Tables.cs) checks the results on every back end.
/// </summary>
public class TableRecomputationTests
{
    private static KernelSource Corpus() => KernelSource.Load(Path.Combine(AppContext.BaseDirectory, "Conformance", "Kernels", "Tables.cs"));

    [Theory]
    [InlineData("Tables.ScaledLookup", false)]
    [InlineData("Tables.RefilledPerScale", false)]
    [InlineData("Tables.WrittenAfterFill", true)]
    [InlineData("Tables.FilledOnOnePath", true)]
    [InlineData("Tables.ReadsWhatItWrites", true)]
    public void A_table_goes_only_where_every_read_sees_its_fill(string method, bool stays)
    {
        CompiledKernel kernel = KernelCompiler.Compile(Corpus(), method);
        Assert.Equal(stays, kernel.Ir.Memories.Any(m => !m.IsPort));
    }

    [Fact]
    public void The_sparse_kernel_multiplies_per_entry_in_a_loop_pipelined_at_one_entry_a_cycle()
    {
        string file = Path.Combine(LoweringSmokeTests.Kernels, "SparseMatVec.cs");
        CompiledKernel kernel = KernelCompiler.Compile(KernelSource.Load(file), "SparseMatVec.MultiplyAccumulate");
        Assert.DoesNotContain(kernel.Ir.Memories, m => !m.IsPort);
        IrBlock entries = Assert.Single(kernel.Ir.Blocks, b => b.Nodes.Any(n => n.Op == IrOp.Store && n.Memory!.Name == "acc"));
        Assert.Contains(entries.Nodes, n => n.Op == IrOp.Mul);
        Assert.Equal(1, kernel.Schedules[entries].Pipeline?.InitiationInterval);
    }
}
