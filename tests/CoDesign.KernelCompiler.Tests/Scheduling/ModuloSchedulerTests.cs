using CoDesign.KernelCompiler.Scheduling;
using CoDesign.TestSupport;

namespace CoDesign.KernelCompiler.Tests.Scheduling;

/// <summary>
/// The modulo scheduler on the corpus's pipelined loops: the II it reaches, the forwarding it
/// plans, and a pipelined loop against the same loop one iteration at a time (results and cycles).
/// </summary>
public class ModuloSchedulerTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Conformance", "Kernels");
    private static readonly Lazy<KernelSource> Source = new(() => KernelSource.Load(Path.Combine(Folder, "Pipelines.cs")));

    [Theory]
    [InlineData("Pipelines.Sum", 1, false)]
    [InlineData("Pipelines.ScaleInto", 1, false)]
    [InlineData("Pipelines.SameRowTwice", 1, true)]
    [InlineData("Pipelines.SameRowThreeTimes", 1, true)]
    [InlineData("Pipelines.Histogram", 1, true)]
    [InlineData("Pipelines.EntryStream", 1, true)]
    [InlineData("Pipelines.PairSums", 2, false)]
    [InlineData("Pipelines.Chase", 2, false)]
    public void Reaches_the_smallest_legal_initiation_interval(string kernel, int ii, bool forwards)
    {
        CompiledKernel compiled = KernelCompiler.Compile(Source.Value, kernel);
        LoopPipeline pipeline = Assert.Single(compiled.Schedules.Values, s => s.Pipeline is not null && s.Block.Nodes.Any(n => n.IsMemoryAccess)).Pipeline!;
        Assert.Equal(ii, pipeline.InitiationInterval);
        Assert.Equal(forwards, pipeline.Bypasses.Count > 0);
    }

    /// <summary>
    /// A random kernel (fuzzing seed 10603) whose unrolled loops leave one loop block of over a thousand
    /// operations: it runs one iteration at a time instead of a search that took minutes, and compiles.
    /// </summary>
    [Fact]
    public void A_loop_body_too_big_to_search_runs_one_iteration_at_a_time()
    {
        GeneratedKernel generated = new RandomKernelGenerator(10603).Next();
        KernelSource source = KernelSource.Parse(generated.Source, "random10603.cs");
        CompiledKernel compiled = KernelCompiler.Compile(source, generated.QualifiedName);
        BlockSchedule big = Assert.Single(compiled.Schedules.Values, s => ModuloScheduler.IsLoop(s.Block) && s.Block.Nodes.Count > ModuloScheduler.MaxNodes);
        Assert.Null(big.Pipeline);
    }

    [Fact]
    public void A_loop_whose_interval_would_equal_its_steps_stays_one_iteration_at_a_time()
    {
        // Its test needs the read's data (step 1), so II >= 2, and the loop takes 2 steps anyway.
        CompiledKernel compiled = KernelCompiler.Compile(Source.Value, "Pipelines.CountUntilZero");
        Assert.All(compiled.Schedules.Values, s => Assert.Null(s.Pipeline));
        Assert.Contains(compiled.Schedules.Values, s => ModuloScheduler.IsLoop(s.Block) && s.Steps == 2);
    }

    [Fact]
    public void Two_reads_of_one_memory_share_its_port_modulo_the_interval()
    {
        CompiledKernel compiled = KernelCompiler.Compile(Source.Value, "Pipelines.PairSums");
        BlockSchedule loop = compiled.Schedules.Values.Single(s => s.Pipeline is not null);
        int[] steps = [.. loop.Block.Nodes.Where(n => n.IsMemoryAccess).Select(n => loop.Step[n] % loop.Pipeline!.InitiationInterval)];
        Assert.Equal(steps.Length, steps.Distinct().Count());
    }

    [Theory]
    [InlineData("Pipelines.SameRowTwice")]
    [InlineData("Pipelines.SameRowThreeTimes")]
    [InlineData("Pipelines.EntryStream")]
    public void A_pipelined_loop_agrees_with_the_loop_one_iteration_at_a_time_and_is_faster(string kernel)
    {
        CompiledKernel pipelined = KernelCompiler.Compile(Source.Value, kernel);
        CompiledKernel sequential = KernelCompiler.Compile(Source.Value, kernel, new CompileOptions { PipelineLoops = false });
        Assert.All(sequential.Schedules.Values, s => Assert.Null(s.Pipeline));
        var calls = new KernelInputGenerator(7, maxSpanLength: 40).Calls(pipelined.Signature, 12).ToList();
        (long fastCycles, long slowCycles) = TimedRtlBackend.CyclesOfTheSameResults(pipelined, sequential, calls);

        Assert.True(fastCycles < slowCycles, $"{fastCycles} pipelined vs {slowCycles} sequential cycles");
    }

    [Fact]
    public void The_pe_kernels_entry_loop_takes_one_entry_per_cycle_with_the_accumulator_forwarded()
    {
        KernelSource source = KernelSource.Load(Path.Combine(LoweringSmokeTests.Kernels, "SparseMatVec.cs"));
        CompiledKernel compiled = KernelCompiler.Compile(source, "SparseMatVec.MultiplyAccumulate");
        BlockSchedule loop = Assert.Single(compiled.Schedules.Values, s => s.Pipeline is not null);
        Assert.True(loop.Pipeline!.InitiationInterval == 1, compiled.Ir.Dump() + string.Join("\n", loop.Block.Nodes.Select(n => $"n{n.Id} step {loop.Step[n]} ready {loop.Ready[n]:F1}")));
        StoreBypass bypass = Assert.Single(loop.Pipeline.Bypasses);
        Assert.Equal("acc", bypass.Load.Memory!.Name);
        Assert.Contains("// SparseMatVec.cs:", compiled.Verilog, StringComparison.Ordinal);
    }

    [Fact]
    public void A_row_that_moves_twice_an_entry_is_one_add_round_the_loop_so_the_walk_pipelines_at_40_MHz()
    {
        // Two chained 32-bit adds (21.8 ns) do not fit a 40 MHz cycle (20.6 ns after the register
        // overhead); the reassociated update has one between the row's read and its new value.
        var at40 = new CompileOptions { ClockMhz = 40 };
        CompiledKernel walk = KernelCompiler.Compile(Source.Value, "Pipelines.RowWalk", at40);
        Assert.Equal(1, Assert.Single(walk.Schedules.Values, s => s.Pipeline is not null).Pipeline!.InitiationInterval);

        KernelSource source = KernelSource.Load(Path.Combine(LoweringSmokeTests.Kernels, "SparseMatVec.cs"));
        CompiledKernel pe = KernelCompiler.Compile(source, "SparseMatVec.MultiplyAccumulate", at40);
        Assert.Equal(1, Assert.Single(pe.Schedules.Values, s => s.Pipeline is not null).Pipeline!.InitiationInterval);
    }

    [Theory]
    [InlineData("Pipelines.Sum")]
    [InlineData("Pipelines.SameRowThreeTimes")]
    [InlineData("Pipelines.Histogram")]
    [InlineData("Pipelines.EntryStream")]
    [InlineData("Pipelines.PairSums")]
    [InlineData("Pipelines.Chase")]
    public void The_dependence_bound_never_passes_the_interval_reached(string kernel)
    {
        // The search starts at the bound, so a bound above the smallest legal II would lose it.
        CompiledKernel compiled = KernelCompiler.Compile(Source.Value, kernel);
        DelayModel delays = DelayModel.For(compiled.Options.Device);
        double period = (1000.0 / compiled.Options.ClockMhz) - delays.Overhead;
        BlockSchedule loop = Assert.Single(compiled.Schedules.Values, s => s.Pipeline is not null && s.Block.Nodes.Any(n => n.IsMemoryAccess));
        Assert.InRange(ModuloScheduler.DependenceBound(loop.Block, delays, period), 1, loop.Pipeline!.InitiationInterval);
    }

    [Fact]
    public void The_crc_byte_loops_dependence_bound_is_its_interval()
    {
        // The CRC register goes round 8 chained bit steps per byte, so no II below 8 can work: the
        // search starts there instead of trying 1 to 7 (most of the compile time of all kernels).
        CompiledKernel compiled = KernelCompiler.Compile(KernelSource.Load(Path.Combine(LoweringSmokeTests.Kernels, "Crc32.cs")), "Crc32.Update");
        DelayModel delays = DelayModel.For(compiled.Options.Device);
        BlockSchedule loop = Assert.Single(compiled.Schedules.Values, s => s.Pipeline is not null);
        Assert.Equal(8, loop.Pipeline!.InitiationInterval);
        Assert.Equal(8, ModuloScheduler.DependenceBound(loop.Block, delays, (1000.0 / compiled.Options.ClockMhz) - delays.Overhead));
    }
}
