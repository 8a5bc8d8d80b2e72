using CoDesign.KernelCompiler.Execution;
using CoDesign.KernelCompiler.Scheduling;
using CoDesign.TestSupport;

namespace CoDesign.KernelCompiler.Tests;

/// <summary>
/// Loop flattening: a nest whose inner loop has a variable bound becomes one loop pipelined at II=1
/// where the flat loop can start an iteration every cycle, and stays a nest otherwise.
/// </summary>
public class FlatteningTests
{
    /// <summary>
    /// 20 MHz: at 30 the flat loops' 32-bit counters (an add then a compare, 31 ns on the UP5K) do not
    /// fit one cycle, since width narrowing does not see through the flat loop's selects yet.
    /// </summary>
    internal static readonly CompileOptions Slow = new() { ClockMhz = 20 };

    /// <summary>The flattening corpus (Conformance/Kernels/Flattening.cs).</summary>
    internal static readonly Lazy<KernelSource> Source = new(() => KernelSource.Load(Path.Combine(AppContext.BaseDirectory, "Conformance", "Kernels", "Flattening.cs")));

    /// <summary>The corpus's nests that flatten at <see cref="Slow"/>'s clock.</summary>
    public static TheoryData<string> FlatNests => ["Flattening.Triangle", "Flattening.Rectangle", "Flattening.Staircase", "Flattening.SkippedColumns"];

    [Theory]
    [MemberData(nameof(FlatNests))]
    public void A_nest_whose_flat_loop_starts_every_cycle_becomes_one_loop_at_ii_1(string kernel)
    {
        CompiledKernel compiled = KernelCompiler.Compile(Source.Value, kernel, Slow);
        Assert.Contains(compiled.Ir.Variables, v => v.Name.StartsWith("inner", StringComparison.Ordinal));
        BlockSchedule loop = Assert.Single(compiled.Schedules.Values, s => ModuloScheduler.IsLoop(s.Block));
        // A flat loop of one step starts an iteration every cycle without a pipeline.
        Assert.True((loop.Pipeline?.InitiationInterval ?? loop.Steps) == 1, compiled.Ir.Dump());
    }

    [Theory]
    [InlineData("Flattening.BoundReadNow")]
    [InlineData("Flattening.SharedPort")]
    [InlineData("Flattening.ColumnSums")]
    [InlineData("Flattening.SparseColumns")]
    public void A_nest_whose_flat_loop_could_not_start_every_cycle_stays_a_nest(string kernel)
    {
        CompiledKernel compiled = KernelCompiler.Compile(Source.Value, kernel, Slow);
        Assert.DoesNotContain(compiled.Ir.Variables, v => v.Name.StartsWith("inner", StringComparison.Ordinal));
    }

    /// <summary>
    /// Against the nest with a state for each loop test. Branch threading takes the inner loop's test
    /// off each outer iteration, and brings Triangle's and Rectangle's nests to a cycle per call below
    /// their flat loops (740 against 751 and 268 against 278 cycles over these calls; Staircase's and
    /// SkippedColumns' flat loops stay ahead, 247 against 352 and 340 against 488): flattening does not
    /// weigh that yet.
    /// </summary>
    [Theory]
    [MemberData(nameof(FlatNests))]
    public void The_flat_loop_agrees_with_the_nest_and_is_faster(string kernel)
    {
        CompiledKernel flat = KernelCompiler.Compile(Source.Value, kernel, Slow);
        CompiledKernel nest = KernelCompiler.Compile(Source.Value, kernel, Slow with { Flatten = false, ThreadBranches = false });
        Assert.DoesNotContain(nest.Ir.Variables, v => v.Name.StartsWith("inner", StringComparison.Ordinal));
        var calls = new KernelInputGenerator(5, maxSpanLength: 40).Calls(flat.Signature, 12).ToList();
        (long flatCycles, long nestCycles) = TimedRtlBackend.CyclesOfTheSameResults(flat, nest, calls);

        Assert.True(flatCycles < nestCycles, $"{flatCycles} flat vs {nestCycles} nested cycles");
    }

    /// <summary>
    /// The PE kernel at 40 MHz: one loop at II=1 whose steps are an entry or a column (a zero
    /// activation's too), the activation and column end read a step ahead from memory registers, so a
    /// call takes a cycle per entry consumed and per column plus a fixed start and drain. Checked on
    /// random CCS slices against the C# and against the nest it was.
    /// </summary>
    [Fact]
    public void The_pe_kernel_takes_a_cycle_per_entry_and_per_column()
    {
        KernelSource source = KernelSource.Load(Path.Combine(LoweringSmokeTests.Kernels, "SparseMatVec.cs"));
        var at40 = new CompileOptions { ClockMhz = 40 };
        CompiledKernel flat = KernelCompiler.Compile(source, "SparseMatVec.MultiplyAccumulate", at40);
        BlockSchedule loop = Assert.Single(flat.Schedules.Values, s => ModuloScheduler.IsLoop(s.Block));
        Assert.Equal(1, loop.Pipeline!.InitiationInterval);
        Assert.Equal(["pointers", "x"], loop.Pipeline.MemoryRegisters.Select(v => v.PrefetchOf!.Name).Order());

        var random = new Random(9);
        var calls = new List<KernelCall>();
        var work = new List<long>();
        for (int c = 0; c < 10; c++)
        {
            int columns = random.Next(1, 14);
            var entries = new List<long>();
            long[] pointers = new long[columns + 1];
            long[] x = new long[columns];
            long consumed = 0;
            for (int j = 0; j < columns; j++)
            {
                int count = random.Next(0, 6);
                for (int k = 0; k < count; k++)
                {
                    entries.Add((random.Next(0, 4) << 4) | random.Next(0, 16));
                }

                pointers[j + 1] = entries.Count;
                x[j] = random.Next(2) == 0 ? 0 : random.Next(1, 256);
                consumed += x[j] == 0 ? 0 : count;
            }

            long[] codebook = [.. Enumerable.Range(0, 16).Select(_ => (long)random.Next(-3000, 3000))];
            calls.Add(new KernelCall(flat.Signature, new Dictionary<string, long[]>
            {
                ["entries"] = [.. entries],
                ["pointers"] = pointers,
                ["codebook"] = codebook,
                ["x"] = x,
                ["acc"] = new long[24],
            }));
            work.Add(consumed + columns);
        }

        using var cpu = new CpuKernelBackend(source, source.FindMethod("SparseMatVec.MultiplyAccumulate"));
        IReadOnlyList<KernelOutcome> rtl = new TimedRtlBackend(flat).RunAll(calls);
        for (int i = 0; i < calls.Count; i++)
        {
            Assert.Equal(KernelOutcomeText.Lines(flat.Signature, cpu.Run(calls[i]), false), KernelOutcomeText.Lines(flat.Signature, rtl[i], false));
            Assert.InRange(rtl[i].Cycles!.Value, work[i], work[i] + 10);
        }

        CompiledKernel nest = KernelCompiler.Compile(source, "SparseMatVec.MultiplyAccumulate", at40 with { Flatten = false });
        (long flatCycles, long nestCycles) = TimedRtlBackend.CyclesOfTheSameResults(flat, nest, calls);
        Assert.True(flatCycles * 3 < nestCycles * 2, $"{flatCycles} flat vs {nestCycles} nested cycles");
    }

    public static TheoryData<string> CorpusNests() => [.. new[] { "Flattening.cs", "Loops.cs", "Pipelines.cs", "Predicated.cs" }
        .SelectMany(f => KernelCorpus.Kernels(Path.Combine(Conformance.CorpusFiles.Folder, f)).Select(k => $"{f}:{k}"))];

    /// <summary>At 1 MHz the trial schedule lets every nest of the pass's shape flatten: each must still agree on every back end.</summary>
    [Theory]
    [MemberData(nameof(CorpusNests))]
    public void Every_corpus_kernel_flattened_where_it_can_agrees_with_the_cpu_on_every_back_end(string fileAndKernel)
    {
        string[] parts = fileAndKernel.Split(':');
        KernelSource source = KernelSource.Load(Path.Combine(Conformance.CorpusFiles.Folder, parts[0]));
        ConformanceRun.Check(source, source.FindMethod(parts[1]), 12, 3, (s, m) => Conformance.ConformanceBackends.Others(s, m, AnyClock));
    }

    [Theory]
    [MemberData(nameof(RandomSeeds))]
    public void A_random_kernel_flattened_where_it_can_agrees_with_the_cpu_on_every_back_end(int seed)
    {
        GeneratedKernel kernel = new RandomKernelGenerator(10_000 + seed).Next();
        KernelSource source = KernelSource.Parse(kernel.Source, $"flat{seed}.cs");
        ConformanceRun.Check(source, source.FindMethod(kernel.QualifiedName), 12, seed, (s, m) => Conformance.ConformanceBackends.Others(s, m, AnyClock), kernel.Listing());
    }

    public static TheoryData<int> RandomSeeds() => [.. Enumerable.Range(0, 50)];

    private static readonly CompileOptions AnyClock = new() { ClockMhz = 1 };
}
