using CoDesign.GpuKernels;
using CoDesign.KernelCompiler;

namespace CoDesign.Gpu.Tests;

/// <summary>What the rewriter makes of span constructs, and what it refuses with a diagnostic.</summary>
public class RewriterTests
{
    private const string Kernels = """
        public static class K
        {
            public const int Size = 4;

            public static int Sum(ReadOnlySpan<int> data)
            {
                Span<int> local = stackalloc int[Size];
                local.Clear();
                int total = 0;
                for (int i = 0; i < data.Length; i++)
                {
                    total += data.Slice(i, 1)[0] / 3 + Math.Max(i, 2);
                }

                return total + Helper(local, []);
            }

            private static int Helper(Span<int> a, ReadOnlySpan<byte> b) => a.Length + b.Length;

            public static int Flags(ReadOnlySpan<bool> flags) => flags.Length;

            private static int Bools()
            {
                Span<bool> b = stackalloc bool[2];
                return b.Length;
            }

            public static int UsesBools(int a) => Bools() + a;

            public static double Outside(int a) => a * 1.5;
        }
        """;

    [Fact]
    public void Spans_become_views_and_span_helpers_become_calls()
    {
        GpuRewriteResult result = Rewrite(GpuRewriteOptions.Fast);
        string text = result.Files.Single().Text;
        Assert.Contains("public static class GpuK", text, StringComparison.Ordinal);
        Assert.Contains("public static int Sum(global::ILGPU.ArrayView<int> data)", text, StringComparison.Ordinal);
        Assert.Contains("global::ILGPU.ArrayView<int> local = global::CoDesign.GpuKernels.Support.GpuViews.Zeroed(global::ILGPU.LocalMemory.Allocate<int>(4));", text, StringComparison.Ordinal);
        Assert.Contains("global::CoDesign.GpuKernels.Support.GpuViews.Clear(local);", text, StringComparison.Ordinal);
        Assert.Contains("i < data.IntLength", text, StringComparison.Ordinal);
        Assert.Contains("global::CoDesign.GpuKernels.Support.GpuViews.Slice(data, i, 1)[0] / 3", text, StringComparison.Ordinal);
        Assert.Contains("global::CoDesign.GpuKernels.Support.GpuMath.Max(i, 2)", text, StringComparison.Ordinal);
        Assert.Contains("Helper(local, default(global::ILGPU.ArrayView<byte>))", text, StringComparison.Ordinal);
        Assert.Contains("public const int Size = 4;", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Span<", text, StringComparison.Ordinal);
        Assert.Equal(["K.Sum", "K.Helper"], result.Files.Single().Methods);
    }

    [Fact]
    public void The_checked_rewrite_checks_indexing_and_division_and_passes_the_fault_view()
    {
        string text = Rewrite(GpuRewriteOptions.Checked).Files.Single().Text;
        Assert.Contains("public static int Sum(global::ILGPU.ArrayView<int> data, global::ILGPU.ArrayView<int> gpuFault)", text, StringComparison.Ordinal);
        Assert.Contains("GpuViews.At(global::CoDesign.GpuKernels.Support.GpuViews.Slice(data, i, 1, gpuFault), 0, global::ILGPU.LocalMemory.Allocate<int>(1), gpuFault)", text, StringComparison.Ordinal);
        Assert.Contains("GpuArithmetic.Divide(", text, StringComparison.Ordinal);
        Assert.Contains("(i < data.IntLength) && gpuFault[0] == 0", text, StringComparison.Ordinal);
        Assert.Contains("Helper(local, default(global::ILGPU.ArrayView<byte>), gpuFault)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void What_has_no_gpu_form_is_refused_with_file_line_and_construct_and_so_are_its_callers()
    {
        var refusals = Rewrite(GpuRewriteOptions.Fast).Refusals.Select(d => d.ToString()).ToList();
        Assert.Contains($"k.cs({At("ReadOnlySpan<bool> flags")}): CDG0001: 'ReadOnlySpan<bool>' has element type 'bool', which ILGPU buffers cannot hold (they take blittable types; use byte or ushort)", refusals);
        Assert.Contains($"k.cs({At("stackalloc bool[2]")}): CDG0001: 'stackalloc bool[2]' has element type 'bool', which ILGPU buffers cannot hold (they take blittable types; use byte or ushort)", refusals);
        Assert.Contains($"k.cs({At("UsesBools")}): CDG0002: method 'K.UsesBools' calls 'K.Bools', which is not rewritten", refusals);
        Assert.Contains(refusals, r => r.StartsWith($"k.cs({At("double")}): CDK0103: ", StringComparison.Ordinal));
        Assert.Equal(["K.Sum", "K.Helper"], Rewrite(GpuRewriteOptions.Fast).Files.Single().Methods);
    }

    // "line,column" (from 1) of the first occurrence of a piece of the kernels' text.
    private static string At(string text)
    {
        string[] lines = Kernels.Split('\n');
        int line = Array.FindIndex(lines, l => l.Contains(text, StringComparison.Ordinal));
        return $"{line + 1},{lines[line].IndexOf(text, StringComparison.Ordinal) + 1}";
    }

    private static GpuRewriteResult Rewrite(GpuRewriteOptions options)
    {
        KernelSource source = KernelSource.Parse(Kernels, "k.cs");
        return GpuKernelRewriter.Rewrite(source.Compilation, [source.Tree], options);
    }
}
