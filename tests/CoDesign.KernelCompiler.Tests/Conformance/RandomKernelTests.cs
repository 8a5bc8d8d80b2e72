using CoDesign.TestSupport;

namespace CoDesign.KernelCompiler.Tests.Conformance;

/// <summary>
/// Random kernels of the subset (see <see cref="RandomKernelGenerator"/>): each compiles and runs 20
/// generated calls on every back end, which must agree with the CPU. Failures print the kernel.
/// </summary>
public class RandomKernelTests
{
    private const int Kernels = 200;
    private const int CallsPerKernel = 20;
    private const int StalledKernels = 20;

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(0, Kernels)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void A_random_kernel_compiles_and_every_back_end_agrees_with_the_cpu(int seed)
    {
        GeneratedKernel kernel = new RandomKernelGenerator(seed).Next();
        KernelSource source;
        try
        {
            source = KernelSource.Parse(kernel.Source, $"random{seed}.cs");
        }
        catch (KernelCompileException error)
        {
            Assert.Fail($"generated kernel {seed} does not compile:{Environment.NewLine}{error.Message}{Environment.NewLine}{kernel.Listing()}");
            return;
        }

        ConformanceBackends.Check(source, source.FindMethod(kernel.QualifiedName), CallsPerKernel, seed, kernel.Listing());
    }

    public static TheoryData<int> StalledSeeds() => [.. Enumerable.Range(0, StalledKernels)];

    /// <summary>
    /// The first of the same kernels compiled with a stall input and stalled in pseudo-random cycles: the
    /// CPU's results, in the predicted cycles counted with stall low (combinational ones are refused one).
    /// </summary>
    [Theory]
    [MemberData(nameof(StalledSeeds))]
    public void A_random_kernel_stalled_at_random_agrees_with_the_cpu(int seed)
    {
        GeneratedKernel kernel = new RandomKernelGenerator(seed).Next();
        KernelSource source = KernelSource.Parse(kernel.Source, $"random{seed}.cs");
        ConformanceBackends.CheckStalled(source, source.FindMethod(kernel.QualifiedName), CallsPerKernel, seed, kernel.Listing());
    }

    [Fact]
    public void The_same_seed_writes_the_same_kernels()
    {
        var first = new RandomKernelGenerator(7);
        var second = new RandomKernelGenerator(7);
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(first.Next(), second.Next());
        }

        Assert.NotEqual(new RandomKernelGenerator(1).Next().Source, new RandomKernelGenerator(2).Next().Source);
    }

    [Fact]
    public void Kernels_stay_within_the_statement_bound_and_use_the_subsets_constructs()
    {
        var generator = new RandomKernelGenerator(123, maxStatements: 10);
        var all = Enumerable.Range(0, 100).Select(_ => generator.Next().Source).ToList();
        Assert.All(all, s => Assert.True(s.Split('\n').Length < 10 * 4 + 20, s));
        string[] constructs = ["for (", "while (", "do", " / ", " % ", "<<", ">>", " is ", "Math.M", "PopCount", "ReadOnlySpan<", "Span<int> output", " ? ", "return", "break", "continue", "+=", "++"];
        Assert.All(constructs, c => Assert.Contains(all, s => s.Contains(c, StringComparison.Ordinal)));
        Assert.DoesNotContain(all, s => s.Contains("foreach", StringComparison.Ordinal) || s.Contains("switch", StringComparison.Ordinal) || s.Contains("new ", StringComparison.Ordinal));
    }

    [Fact]
    public void Some_kernels_have_memory_accesses_in_branches_that_become_predicated()
    {
        // The generator writes span reads and writes under ifs and ?: (`if (output.Length > 0) output[...] = ...`),
        // which if-conversion turns into guarded accesses: the random kernels test predication too.
        int predicated = 0;
        for (int seed = 0; seed < 60; seed++)
        {
            GeneratedKernel kernel = new RandomKernelGenerator(seed).Next();
            KernelSource source = KernelSource.Parse(kernel.Source, $"random{seed}.cs");
            CompiledKernel compiled = KernelCompiler.Compile(source, kernel.QualifiedName);
            predicated += compiled.Ir.Blocks.SelectMany(b => b.Nodes).Any(n => n.IsMemoryAccess && n.Guard is not null) ? 1 : 0;
        }

        Assert.True(predicated >= 5, $"{predicated} of 60 random kernels have a predicated access");
    }

    [Fact]
    public void A_listing_numbers_the_lines()
    {
        var kernel = new GeneratedKernel("C", "M", "a\nb\n");
        Assert.Equal("   1: a" + Environment.NewLine + "   2: b" + Environment.NewLine + "   3: ", kernel.Listing());
    }
}
