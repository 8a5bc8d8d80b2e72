using CoDesign.KernelCompiler.Ir;

namespace CoDesign.KernelCompiler.Tests;

/// <summary>Memory banking fires where a block reads an even and an odd element, and the two reads then share a cycle.</summary>
public class BankingTests
{
    private static KernelSource Corpus() => KernelSource.Load(Path.Combine(AppContext.BaseDirectory, "Conformance", "Kernels", "Banking.cs"));

    [Theory]
    [InlineData("Banking.PairSums", 8, 8)]
    [InlineData("Banking.Butterfly", 5, 4)]
    [InlineData("Banking.Combine", 16, 16)]
    [InlineData("Banking.Lookup", 5, 5)]
    public void A_pairwise_read_memory_becomes_two_banks_read_in_the_same_cycle(string method, int evenSize, int oddSize)
    {
        CompiledKernel kernel = KernelCompiler.Compile(Corpus(), method);
        IrMemory[] internalMemories = [.. kernel.Ir.Memories.Where(m => !m.IsPort)];
        Assert.Equal([evenSize, oddSize], internalMemories.Select(m => m.Size));
        Assert.EndsWith("_even", internalMemories[0].Name, StringComparison.Ordinal);
        Assert.EndsWith("_odd", internalMemories[1].Name, StringComparison.Ordinal);

        // Some block loads from both banks in one step of its schedule.
        Assert.Contains(kernel.Ir.Blocks, block =>
        {
            var loads = block.Nodes.Where(n => n.Op == IrOp.Load && !n.Memory!.IsPort).ToList();
            return loads.Any(a => loads.Any(b => a.Memory != b.Memory && kernel.Schedules[block].Step[a] == kernel.Schedules[block].Step[b]));
        });
    }

    [Fact]
    public void An_index_of_unknown_parity_keeps_one_memory()
    {
        CompiledKernel kernel = KernelCompiler.Compile(Corpus(), "Banking.MixedIndex");
        Assert.Equal([8], kernel.Ir.Memories.Where(m => !m.IsPort).Select(m => m.Size));
    }
}
