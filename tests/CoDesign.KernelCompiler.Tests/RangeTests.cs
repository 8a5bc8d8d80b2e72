using CoDesign.KernelCompiler.Ir;
using CoDesign.KernelCompiler.Scheduling;

namespace CoDesign.KernelCompiler.Tests;

/// <summary>
/// What the range analysis proves and the compiler builds on (Conformance/Kernels/Settled.cs, which the
/// corpus tests also run as RTL against the C#): a loop or branch whose test is decided goes (range
/// folding), a bound that a branch gives a variable survives if-conversion, a local that only holds a
/// constant is no register, and a pointer that indexes a span is as wide as the span's indices.
/// </summary>
public class RangeTests
{
    private static readonly Lazy<KernelSource> Source = new(() => KernelSource.Load(Path.Combine(AppContext.BaseDirectory, "Conformance", "Kernels", "Settled.cs")));

    [Fact]
    public void A_loop_whose_test_the_code_before_it_decides_goes_and_the_loop_around_it_pipelines()
    {
        CompiledKernel kernel = KernelCompiler.Compile(Source.Value, "Settled.Nibbles");
        BlockSchedule loop = Assert.Single(kernel.Schedules.Values, s => ModuloScheduler.IsLoop(s.Block));
        Assert.True(loop.Pipeline?.InitiationInterval == 1, kernel.Ir.Dump());

        // The buffer holds at most 3 + 8 bits, and the byte pointer indexes a span of up to 2^16 bytes.
        Assert.Equal(11, Variable(kernel, "held").Storage.Bits);
        Assert.Equal(4, Variable(kernel, "heldBits").Storage.Bits);
        Assert.Equal(17, Variable(kernel, "next").Storage.Bits);
    }

    [Fact]
    public void A_bound_from_a_branch_survives_if_conversion()
    {
        CompiledKernel kernel = KernelCompiler.Compile(Source.Value, "Settled.CappedCount");
        Assert.DoesNotContain(kernel.Ir.Blocks, b => b != kernel.Ir.Entry && b.Terminator == IrTerminatorKind.Branch && !ModuloScheduler.IsLoop(b));
        // 0..9 needs 4 bits; the loop's widening may round the bound up to a power of two (without the
        // bound, the select's loop-carried sum would keep its 32).
        Assert.InRange(Variable(kernel, "count").Storage.Bits, 4, 5);
    }

    [Fact]
    public void A_local_that_only_holds_a_constant_is_no_register()
    {
        CompiledKernel kernel = KernelCompiler.Compile(Source.Value, "Settled.MaskedSum");
        Assert.DoesNotContain(kernel.Ir.Variables, v => v.Name is "mask" or "width");
    }

    [Fact]
    public void A_test_no_value_can_pass_is_folded_with_what_only_it_needed()
    {
        CompiledKernel kernel = KernelCompiler.Compile(Source.Value, "Settled.NeverBelow");
        Assert.DoesNotContain(kernel.Ir.Blocks.SelectMany(b => b.Nodes), n => n.Op is IrOp.Mul or IrOp.Lt && n.Inputs.Any(i => i.Op == IrOp.Const && i.Constant == 8));
        Assert.DoesNotContain(kernel.Ir.Blocks.SelectMany(b => b.Nodes), n => n.Op == IrOp.Mul);
    }

    private static IrVariable Variable(CompiledKernel kernel, string name) => Assert.Single(kernel.Ir.Variables, v => v.Name == name);
}
