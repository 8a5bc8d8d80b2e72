namespace CoDesign.KernelSubset.Tests;

/// <summary>A kernel is checked with everything it calls: callees' violations are reported where they are.</summary>
public class TransitiveTests
{
    [Fact]
    public void A_violation_inside_a_callee_is_reported_at_the_callee()
    {
        Snippet snippet = Snippet.Of(
            ("kernel.cs", "static class Kernel\n{\n    public static int F(int n) => Helpers.Scale(n) + Helpers.Scale(n + 1);\n}\n"),
            ("helpers.cs", "static class Helpers\n{\n    public static int Scale(int n) => Inner(n);\n\n    static int Inner(int n) => (int)(n * 0.75);\n}\n"));
        Assert.Equal(
            ["helpers.cs(5,42): CDK0103: floating-point literal '0.75' is not hardware; kernels compute in integers (use fixed point)"],
            snippet.Check("Kernel.F"));
    }

    [Fact]
    public void Violations_come_in_source_order_across_files()
    {
        Snippet snippet = Snippet.Of(
            ("b.cs", "static class B\n{\n    public static int G(int n) => Math.Abs(n);\n}\n"),
            ("a.cs", "static class A\n{\n    public static int F(int n)\n    {\n        Console.WriteLine(n);\n        return B.G(n) + (int)1.5;\n    }\n}\n"));
        Assert.Equal(
            ["a.cs(5,9): CDK0110", "a.cs(6,30): CDK0103", "b.cs(3,35): CDK0110"],
            snippet.Check("A.F").Select(d => d[..(d.IndexOf(": CDK", StringComparison.Ordinal) + 9)]));
    }

    [Fact]
    public void Mutual_recursion_is_refused_at_each_call_of_the_cycle()
    {
        Snippet snippet = Snippet.Of("static class K\n{\n    public static int F(int n) => n <= 0 ? 0 : G(n - 1);\n\n    static int G(int n) => Leaf(n) + H(n);\n\n    static int H(int n) => F(n);\n\n    static int Leaf(int n) => n;\n}\n");
        Assert.Equal(
            [
                "k.cs(3,48): CDK0102: call to 'K.G' is recursive (K.F -> K.G -> K.H -> K.F); hardware has no call stack (use a loop)",
                "k.cs(5,38): CDK0102: call to 'K.H' is recursive (K.G -> K.H -> K.F -> K.G); hardware has no call stack (use a loop)",
                "k.cs(7,28): CDK0102: call to 'K.F' is recursive (K.H -> K.F -> K.G -> K.H); hardware has no call stack (use a loop)",
            ],
            snippet.Check("K.F"));
    }

    [Fact]
    public void A_method_called_twice_is_checked_once()
    {
        Snippet snippet = Snippet.Of("static class K\n{\n    public static int F(int n) => G(n) + G(n) + H(n);\n\n    static int H(int n) => G(n);\n\n    static int G(int n) => (int)Math.Sqrt(n);\n}\n");
        Assert.Equal(["k.cs(7,33): CDK0103: call to 'Math.Sqrt' computes in floating point; kernels compute in integers (use fixed point)"], snippet.Check("K.F"));
    }

    [Fact]
    public void An_extension_method_of_source_is_followed()
    {
        Snippet snippet = Snippet.Of("static class K\n{\n    public static int F(int n) => n.Magnitude();\n\n    static int Magnitude(this int n) => Math.Abs(n);\n}\n");
        Assert.Equal(["k.cs(5,41): CDK0110"], snippet.Check("K.F").Select(d => d[..(d.IndexOf(": CDK", StringComparison.Ordinal) + 9)]));
    }

    [Fact]
    public void A_library_method_is_not_followed()
    {
        Snippet snippet = Snippet.Of("static class K\n{\n    public static int F(ReadOnlySpan<byte> s) => s.IndexOf((byte)0);\n}\n");
        Assert.Equal(["k.cs(3,50): CDK0110: call to 'MemoryExtensions.IndexOf' is a library method with no source to compile; hardware inlines source methods and the intrinsics Math.Min/Max and BitOperations.PopCount only"], snippet.Check("K.F"));
    }
}
