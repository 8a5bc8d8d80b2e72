using System.Collections.Concurrent;
using CoDesign.KernelCompiler.Execution;
using CoDesign.TestSupport;

namespace CoDesign.KernelCompiler.Tests.Conformance;

/// <summary>
/// The conformance corpus (Conformance/Kernels, copied next to the tests): every kernel runs 20
/// generated calls on every back end, which must agree with the CPU.
/// </summary>
public class CorpusTests
{
    private const int CallsPerKernel = 20;

    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Conformance", "Kernels");

    // One binding of the corpus per file (each file is bound with all the others, as kernels/ is), and
    // one CPU compilation of all its kernels: kept for the test run.
    private static readonly ConcurrentDictionary<string, Lazy<KernelSource>> Sources = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, Lazy<IReadOnlyDictionary<string, CpuKernelBackend>>> CpuBackends = new(StringComparer.Ordinal);

    public static TheoryData<string, string> Kernels()
    {
        var data = new TheoryData<string, string>();
        foreach (string file in KernelCorpus.Files(Folder))
        {
            foreach (string kernel in KernelCorpus.Kernels(file))
            {
                data.Add(Path.GetFileName(file), kernel);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Every_back_end_agrees_with_the_cpu(string file, string kernel)
    {
        KernelSource source = Source(file);
        ConformanceBackends.Check(source, source.FindMethod(kernel), CallsPerKernel, StableSeed(kernel), cpu: Cpu(file)[kernel]);
    }

    /// <summary>
    /// Compiled with a stall input and stalled in pseudo-random cycles (about one in four), every kernel
    /// still agrees with the CPU, and its cycles with stall low are the schedule's prediction; a kernel that
    /// compiles to combinational logic is refused a stall input (CDK0202).
    /// </summary>
    [Theory]
    [MemberData(nameof(Kernels))]
    public void Every_kernel_stalled_at_random_agrees_with_the_cpu(string file, string kernel)
    {
        KernelSource source = Source(file);
        ConformanceBackends.CheckStalled(source, source.FindMethod(kernel), CallsPerKernel, StableSeed(kernel), cpu: Cpu(file)[kernel]);
    }

    [Fact]
    public void The_corpus_has_at_least_80_kernels_in_every_family()
    {
        string[] families =
        [
            "Arithmetic", "Shifts", "Casts", "Comparisons", "Branches", "Loops", "EarlyReturn", "Spans", "Slices",
            "Stackalloc", "OutParameters", "Calls", "MinMaxPopCount", "Patterns", "LongUlong", "NarrowTypes", "DivRem", "Mixes", "Pipelines",
            "StrengthReduced", "Contracts", "Banking", "AdderTrees", "Predicated", "Flattening", "Tables", "Settled",
        ];
        var files = KernelCorpus.Files(Folder).Select(Path.GetFileNameWithoutExtension).ToList();
        Assert.Equal(families.Order(StringComparer.Ordinal), files.Order(StringComparer.Ordinal));
        Assert.True(Kernels().Count >= 80, $"{Kernels().Count} kernels");
        Assert.All(KernelCorpus.Files(Folder), f => Assert.True(KernelCorpus.Kernels(f).Count >= 5, f));
    }

    [Fact]
    public void Every_kernel_has_a_doc_comment_and_a_subset_signature()
    {
        foreach (string file in KernelCorpus.Files(Folder))
        {
            KernelSource source = Source(Path.GetFileName(file));
            foreach (var method in KernelCorpus.KernelDeclarations(File.ReadAllText(file)))
            {
                string name = method.Identifier.Text;
                Assert.True(method.HasLeadingTrivia && method.GetLeadingTrivia().ToFullString().Contains("/// <summary>", StringComparison.Ordinal), $"{file}: {name} has no doc comment");
            }

            foreach (string kernel in KernelCorpus.Kernels(file))
            {
                Assert.True(Signature.KernelSignature.Of(source.FindMethod(kernel)) is not null, $"{kernel}: signature outside the subset");
            }
        }
    }

    [Theory]
    [InlineData("Arithmetic.cs", "Arithmetic.Add", new[] { "a=2147483647", "b=1" }, new[] { "return = -2147483648" })]
    [InlineData("Arithmetic.cs", "Arithmetic.Negate", new[] { "a=-2147483648" }, new[] { "return = -2147483648" })]
    [InlineData("Shifts.cs", "Shifts.LeftInt", new[] { "a=1", "n=33" }, new[] { "return = 2" })]
    [InlineData("Shifts.cs", "Shifts.RightInt", new[] { "a=-8", "n=1" }, new[] { "return = -4" })]
    [InlineData("Shifts.cs", "Shifts.RightUlong", new[] { "a=18446744073709551615", "n=64" }, new[] { "return = 18446744073709551615" })]
    [InlineData("Casts.cs", "Casts.Chain", new[] { "a=-1" }, new[] { "return = 255" })]
    [InlineData("Casts.cs", "Casts.IntToUlong", new[] { "a=-1" }, new[] { "return = 18446744073709551615" })]
    [InlineData("Comparisons.cs", "Comparisons.MixedSignedness", new[] { "a=-1", "b=0" }, new[] { "return = 1" })]
    [InlineData("DivRem.cs", "DivRem.Truncation", new[] { "a=-7" }, new[] { "quotient = -1", "remainder = -3" })]
    [InlineData("DivRem.cs", "DivRem.DivideInt", new[] { "a=-2147483648", "b=-1" }, new[] { "return = 0" })]
    [InlineData("NarrowTypes.cs", "NarrowTypes.BytesPromote", new[] { "a=255", "b=255" }, new[] { "return = 510" })]
    [InlineData("NarrowTypes.cs", "NarrowTypes.IncrementByte", new[] { "a=255" }, new[] { "return = 0" })]
    [InlineData("Spans.cs", "Spans.Reverse", new[] { "data=1,2,3" }, new[] { "data = 3 2 1" })]
    [InlineData("Spans.cs", "Spans.BubbleSort", new[] { "data=3,4294967295,0,2" }, new[] { "data = 0 2 3 4294967295" })]
    [InlineData("Slices.cs", "Slices.WriteMiddle", new[] { "data=1,2,3,4", "a=5" }, new[] { "data = 1 5 5 4" })]
    [InlineData("Stackalloc.cs", "Stackalloc.StartsZeroed", new[] { "i=1" }, new[] { "return = 9" })]
    [InlineData("OutParameters.cs", "OutParameters.Constants", new string[0], new[] { "b = 200", "c = 1", "d = -9223372036854775808" })]
    [InlineData("Calls.cs", "Calls.SumOfSquares", new[] { "a=3", "b=4" }, new[] { "return = 25" })]
    [InlineData("Patterns.cs", "Patterns.IsDigit", new[] { "c=55" }, new[] { "return = 1" })]
    [InlineData("LongUlong.cs", "LongUlong.MultiplyHigh", new[] { "a=18446744073709551615", "b=18446744073709551615" }, new[] { "return = 18446744073709551614" })]
    [InlineData("Mixes.cs", "Mixes.CsdMultiply", new[] { "x=7", "constant=13" }, new[] { "steps = 3", "return = 91" })]
    [InlineData("Mixes.cs", "Mixes.Crc32Update", new[] { "crc=4294967295", "data=49,50,51,52,53,54,55,56,57" }, new[] { "data = 49 50 51 52 53 54 55 56 57", "return = 3421780262" })]
    public void Spot_checks_on_the_cpu(string file, string kernel, string[] args, string[] expected)
    {
        CpuKernelBackend backend = Cpu(file)[kernel];
        KernelOutcome outcome = backend.Run(KernelArguments.Parse(backend.Signature, args));
        Assert.Equal(expected, KernelOutcomeText.Lines(backend.Signature, outcome, withCycles: true));
    }

    [Theory]
    [InlineData("DivRem.cs", "DivRem.DivideSbyte", "s=0", "--arg s: DivRem.DivideSbyte has no parameter 's' (its parameters: a, b)")]
    [InlineData("MinMaxPopCount.cs", "MinMaxPopCount.PopCountUlong", "a=-1", "--arg a: -1 is out of range for ulong (0..18446744073709551615)")]
    [InlineData("Spans.cs", "Spans.CountTrue", "flags=1,0,yes", "--arg flags[2]: 'yes' is not a bool (0, 1, true or false)")]
    [InlineData("OutParameters.cs", "OutParameters.Split", "high=1", "--arg high: high is an out parameter and takes no value (the kernel sets it)")]
    public void Arguments_that_do_not_fit_a_corpus_kernel_are_rejected(string file, string kernel, string arg, string message) =>
        Assert.Equal(message, Assert.Throws<KernelArgumentException>(() => KernelArguments.Parse(Cpu(file)[kernel].Signature, [arg])).Message);

    private static KernelSource Source(string file) =>
        Sources.GetOrAdd(file, f => new Lazy<KernelSource>(() => KernelSource.Load(Path.Combine(Folder, f)))).Value;

    private static IReadOnlyDictionary<string, CpuKernelBackend> Cpu(string file) =>
        CpuBackends.GetOrAdd(file, f => new Lazy<IReadOnlyDictionary<string, CpuKernelBackend>>(() =>
        {
            KernelSource source = Source(f);
            var kernels = KernelCorpus.Kernels(Path.Combine(Folder, f));
            var backends = CpuKernelBackend.ForAll(source, [.. kernels.Select(source.FindMethod)]);
            return kernels.Zip(backends).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);
        })).Value;

    // string.GetHashCode differs between runs; the seed must not.
    private static int StableSeed(string text) => text.Aggregate(17, (hash, c) => unchecked((hash * 31) + c));
}
