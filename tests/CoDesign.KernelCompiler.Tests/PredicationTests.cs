using CoDesign.KernelCompiler.Execution;
using CoDesign.KernelCompiler.Ir;
using CoDesign.KernelCompiler.Scheduling;
using CoDesign.KernelCompiler.Signature;
using CoDesign.TestSupport;

namespace CoDesign.KernelCompiler.Tests;

/// <summary>
/// Predicated loads and stores: if-conversion turns the arms' memory accesses into guarded ones, the
/// interpreter and the Verilog honour the guard, and the loops around them pipeline.
/// </summary>
public class PredicationTests
{
    private static readonly Lazy<KernelSource> Source = new(() => KernelSource.Load(Path.Combine(AppContext.BaseDirectory, "Conformance", "Kernels", "Predicated.cs")));

    [Theory]
    [InlineData("Predicated.CopyAbove", 1, false)]
    [InlineData("Predicated.SumFlagged", 1, false)]
    [InlineData("Predicated.GuardedRange", 1, false)]
    [InlineData("Predicated.NestedGuards", 1, false)]
    [InlineData("Predicated.Partition", 1, false)]
    [InlineData("Predicated.PeekNext", 2, false)]
    [InlineData("Predicated.ConditionalAccumulate", 1, true)]
    [InlineData("Predicated.SmallHistogram", 1, true)]
    [InlineData("Predicated.SumOdd", 1, false)]
    public void A_loop_with_an_access_in_a_branch_becomes_one_pipelined_block_with_guarded_accesses(string kernel, int ii, bool forwards)
    {
        CompiledKernel compiled = KernelCompiler.Compile(Source.Value, kernel);
        BlockSchedule loop = Assert.Single(compiled.Schedules.Values, s => s.Pipeline is not null && s.Block.Nodes.Any(n => n.IsMemoryAccess));
        Assert.Contains(loop.Block.Nodes, n => n.IsMemoryAccess && n.Guard is not null);
        Assert.True(ii == loop.Pipeline!.InitiationInterval, compiled.Ir.Dump());
        Assert.Equal(forwards, loop.Pipeline.Bypasses.Count > 0);
    }

    [Fact]
    public void Nested_arms_guard_their_access_with_both_conditions()
    {
        CompiledKernel compiled = KernelCompiler.Compile(Source.Value, "Predicated.NestedGuards");
        IrNode store = Assert.Single(compiled.Ir.Blocks.SelectMany(b => b.Nodes), n => n.Op == IrOp.Store);
        Assert.Equal(IrOp.And, store.Guard!.Op);
    }

    [Theory]
    [InlineData("Predicated.ConditionalAccumulate")]
    [InlineData("Predicated.SmallHistogram")]
    [InlineData("Predicated.LoadOrStore")]
    public void A_pipelined_predicated_loop_agrees_with_the_loop_one_iteration_at_a_time_and_is_faster(string kernel)
    {
        CompiledKernel pipelined = KernelCompiler.Compile(Source.Value, kernel);
        CompiledKernel sequential = KernelCompiler.Compile(Source.Value, kernel, new CompileOptions { PipelineLoops = false });
        var calls = new KernelInputGenerator(11, maxSpanLength: 40).Calls(pipelined.Signature, 12).ToList();
        (long fastCycles, long slowCycles) = TimedRtlBackend.CyclesOfTheSameResults(pipelined, sequential, calls);

        Assert.True(fastCycles < slowCycles, $"{fastCycles} pipelined vs {slowCycles} sequential cycles");
    }

    [Fact]
    public void The_interpreter_skips_an_access_whose_guard_is_false_even_out_of_range()
    {
        CompiledKernel compiled = KernelCompiler.Compile(Source.Value, "Predicated.StoreThenRead");
        Assert.Contains(compiled.Ir.Blocks.SelectMany(b => b.Nodes), n => n.Op == IrOp.Store && n.Guard is not null);
        var interpreter = new IrInterpreter(compiled.Ir);
        KernelOutcome outside = interpreter.Run(new KernelCall(compiled.Signature, new Dictionary<string, long[]> { ["cells"] = [5, 6], ["index"] = [7], ["value"] = [9] }));
        Assert.Equal([5, 6], outside.Results["cells"]);
        KernelOutcome inside = interpreter.Run(new KernelCall(compiled.Signature, new Dictionary<string, long[]> { ["cells"] = [5, 6], ["index"] = [0], ["value"] = [9] }));
        Assert.Equal([9, 6], inside.Results["cells"]);
        Assert.Equal(9, inside.Return);
    }

    [Fact]
    public void A_guard_that_folds_to_a_constant_leaves_the_access_plain_or_removes_it()
    {
        IrFunction ir = KernelCompiler.Lower(Source.Value, Source.Value.FindMethod("Predicated.StoreThenRead"));
        IrBlock block = ir.Entry;
        var index = new IrNode(IrOp.Const, new KernelValueType(32, true)) { Constant = 0 };
        var always = new IrNode(IrOp.Const, KernelValueType.Bool) { Constant = 1 };
        var never = new IrNode(IrOp.Const, KernelValueType.Bool) { Constant = 0 };
        IrMemory cells = ir.Memories.Single(m => m.Name == "cells");
        var kept = new IrNode(IrOp.Store, new KernelValueType(32, true), index, index, always) { Memory = cells };
        var gone = new IrNode(IrOp.Store, new KernelValueType(32, true), index, index, never) { Memory = cells };
        block.Nodes.InsertRange(0, [index, always, never, kept, gone]);
        new Passes.ConstantFolding().Run(ir);
        Assert.Contains(kept, block.Nodes);
        Assert.Null(kept.Guard);
        Assert.DoesNotContain(gone, block.Nodes);
    }
}
