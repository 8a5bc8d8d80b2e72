using CoDesign.Hardware.Kernels;
using CoDesign.KernelCompiler.Execution;
using CoDesign.KernelCompiler.Tests.Conformance;

namespace CoDesign.KernelCompiler.Tests;

/// <summary>
/// Wide ordered compares are written as two halves (SplitComparison.cs); these calls sit where the
/// halves meet, where a wrong split would show: equal upper halves, a carry across bit 16, the sign.
/// </summary>
public class SplitComparisonTests
{
    private static readonly (int A, int B)[] Pairs =
    [
        (0, 0), (0, 1), (1, 0), (-1, 0), (0, -1), (65535, 65536), (65536, 65535), (-65536, -65535), (-65535, -65536),
        (-65536, -1), (int.MinValue, int.MaxValue), (int.MaxValue, int.MinValue), (int.MinValue, int.MinValue + 1),
        (0x12340000, 0x1234FFFF), (0x1234FFFF, 0x12340000), (0x7FFF0000, unchecked((int)0x80000000)), (-2, -2), (32767, -32768),
    ];

    [Fact]
    public void Ordered_int_compares_agree_with_csharp_at_the_halves_boundaries()
    {
        CompiledKernel kernel = KernelCompiler.Compile(KernelSource.Load(Path.Combine(CorpusFiles.Folder, "Comparisons.cs")), "Comparisons.OrderedInts");
        Assert.Contains("_high_lt", kernel.Verilog, StringComparison.Ordinal);
        var calls = Pairs.Select(p => new KernelCall(kernel.Signature, new Dictionary<string, long[]> { ["a"] = [p.A], ["b"] = [p.B] })).ToList();
        IReadOnlyList<KernelOutcome> rtl = new RtlKernelBackend(kernel).RunAll(calls);
        for (int i = 0; i < Pairs.Length; i++)
        {
            (int a, int b) = Pairs[i];
            long expected = (a < b ? 1 : 0) | (a <= b ? 2 : 0) | (a > b ? 4 : 0) | (a >= b ? 8 : 0);
            Assert.True(expected == rtl[i].Return, $"a = {a}, b = {b}: C# {expected}, RTL {rtl[i].Return}");
        }
    }
}
