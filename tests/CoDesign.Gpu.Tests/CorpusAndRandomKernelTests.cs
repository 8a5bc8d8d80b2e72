using System.Collections.Concurrent;
using CoDesign.GpuKernels;
using CoDesign.KernelCompiler;
using CoDesign.TestSupport;
using Microsoft.CodeAnalysis;
using Xunit.Abstractions;

namespace CoDesign.Gpu.Tests;

/// <summary>
/// The conformance corpus and a sample of random kernels through the GPU back end, with the same body
/// as the compiler's back ends (<see cref="ConformanceRun"/>). A kernel the rewriter refuses is reported
/// with its reason, and must be refused for a reason that is known (spans of bool or char).
/// </summary>
public class CorpusAndRandomKernelTests(ITestOutputHelper output)
{
    private const int CallsPerKernel = 20;
    private const int RandomKernels = 40;

    // One binding, one rewrite and one GPU compilation of each corpus file's kernels, kept for the run.
    private static readonly ConcurrentDictionary<string, Lazy<CorpusFile>> Files = new(StringComparer.Ordinal);

    public static TheoryData<string, string> Kernels()
    {
        var data = new TheoryData<string, string>();
        foreach (string file in KernelCorpus.Files(TestAccelerator.CorpusFolder))
        {
            foreach (string kernel in KernelCorpus.Kernels(file))
            {
                data.Add(Path.GetFileName(file), kernel);
            }
        }

        return data;
    }

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(0, RandomKernels)];

    [Theory]
    [MemberData(nameof(Kernels))]
    public void The_gpu_agrees_with_the_cpu_on_the_corpus(string file, string kernel)
    {
        CorpusFile corpus = Files.GetOrAdd(file, f => new Lazy<CorpusFile>(() => CorpusFile.Load(Path.Combine(TestAccelerator.CorpusFolder, f)))).Value;
        IMethodSymbol method = corpus.Source.FindMethod(kernel);
        if (!corpus.Gpu.TryGetValue(kernel, out GpuKernelBackend? gpu))
        {
            string why = Refusal(corpus.Source, method) ?? "no refusal";
            output.WriteLine($"refused: {kernel}: {why}");
            Assert.Contains(GpuRewriteCodes.ElementType, why, StringComparison.Ordinal);
            return;
        }

        ConformanceRun.Check(corpus.Source, method, CallsPerKernel, TestAccelerator.StableSeed(kernel), (_, _) => [gpu]);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void The_gpu_agrees_with_the_cpu_on_random_kernels(int seed)
    {
        GeneratedKernel kernel = new RandomKernelGenerator(seed).Next();
        KernelSource source = KernelSource.Parse(kernel.Source, $"random{seed}.cs");
        IMethodSymbol method = source.FindMethod(kernel.QualifiedName);
        Assert.Null(Refusal(source, method));
        ConformanceRun.Check(source, method, CallsPerKernel, seed, (s, m) => [new GpuKernelBackend(s, m, TestAccelerator.Cpu)], kernel.Listing());
    }

    [Fact]
    public void Only_kernels_with_bool_or_char_spans_are_refused_in_the_corpus()
    {
        var refused = new List<string>();
        foreach (string file in KernelCorpus.Files(TestAccelerator.CorpusFolder))
        {
            KernelSource source = KernelSource.Load(file);
            var rewritten = GpuKernelRewriter.Rewrite(source.Compilation, [source.Tree], GpuRewriteOptions.Checked);
            var available = rewritten.Files.SelectMany(f => f.Methods).ToHashSet(StringComparer.Ordinal);
            foreach (string kernel in KernelCorpus.Kernels(file).Where(k => !available.Contains(k)))
            {
                refused.Add($"{kernel}: {Refusal(source, source.FindMethod(kernel))}");
            }
        }

        output.WriteLine($"{refused.Count} of {Kernels().Count} corpus kernels refused:");
        refused.ForEach(output.WriteLine);
        Assert.All(refused, r => Assert.Contains(GpuRewriteCodes.ElementType, r, StringComparison.Ordinal));
        Assert.Equal(3, refused.Count);
    }

    // Why the rewriter leaves the kernel out, or null when it is rewritten.
    private static string? Refusal(KernelSource source, IMethodSymbol method)
    {
        try
        {
            _ = new GpuKernelBackend(source, method, TestAccelerator.Cpu);
            return null;
        }
        catch (KernelCompileException refused)
        {
            return string.Join("; ", refused.Diagnostics);
        }
    }

    /// <summary>A corpus file bound once, with GPU back ends for the kernels the rewriter takes.</summary>
    private sealed record CorpusFile(KernelSource Source, IReadOnlyDictionary<string, GpuKernelBackend> Gpu)
    {
        public static CorpusFile Load(string path)
        {
            KernelSource source = KernelSource.Load(path);
            var rewritten = GpuKernelRewriter.Rewrite(source.Compilation, source.Compilation.SyntaxTrees.Where(t => t.FilePath.EndsWith(".cs", StringComparison.Ordinal)), GpuRewriteOptions.Checked);
            var available = rewritten.Files.SelectMany(f => f.Methods).ToHashSet(StringComparer.Ordinal);
            var kernels = KernelCorpus.Kernels(path).Where(available.Contains).ToList();
            var backends = GpuKernelBackend.ForAll(source, [.. kernels.Select(source.FindMethod)], TestAccelerator.Cpu);
            return new CorpusFile(source, kernels.Zip(backends).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal));
        }
    }
}
