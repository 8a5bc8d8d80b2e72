using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CoDesign.KernelSubset.Tests;

/// <summary>Code far from a kernel is refused, never crashes the checker or the analyzer.</summary>
public class RobustnessTests
{
    private const string Zoo = """
        using System.Collections.Generic;
        using System.Runtime.InteropServices;

        abstract class Shape
        {
            private int sides;
            public Shape(int sides) { this.sides = sides; }
            static Shape() { Count = 0; }
            ~Shape() { }
            public static int Count { get; set; }
            public int this[int i] { get => sides + i; set => sides = value; }
            public event Action? Changed;
            public abstract int Area();
            public virtual int Sides() => sides;
            public static Shape operator +(Shape a, Shape b) => a;
            public static implicit operator int(Shape s) => s.sides;
            protected void Raise() => Changed?.Invoke();
        }

        sealed class Square(int side) : Shape(4)
        {
            public override int Area() => side * side;
        }

        record Point(int X, int Y);

        struct Pair { public int A; public int B; }

        static partial class K
        {
            [DllImport("libc")]
            static extern int getpid();

            static partial void Hook(int n);

            private static partial int Impl(int n);
            private static partial int Impl(int n) => n + 1;

            public static int F(int n) => getpid() + Impl(n) + Generic(n) + new Square(n).Area() + new Pair().A + new Point(1, 2).X;

            static T Generic<T>(T x) => x;

            public static IEnumerable<int> Numbers()
            {
                yield return 1;
            }

            public static unsafe int Pointers(int n)
            {
                int* p = &n;
                fixed (int* q = new int[1]) { return *p + *q + sizeof(Pair); }
            }

            public static int Many(Span<int> s, int n)
            {
                var list = new List<int> { 1, 2 };
                int total = 0;
                foreach (var x in list) { total += x; }
                var (a, b) = (1, 2);
                Func<int> f = () => total;
                total += s switch { [] => 0, [var h, ..] => h };
                total += s is [1, 2] ? 1 : 0;
                total += (n as object) is int m ? m : 0;
                ReadOnlySpan<byte> u8 = "abc"u8;
                return total + a + b + f() + list?.Count ?? 0 + u8.Length;
            }
        }
        """;

    [Fact]
    public async Task The_analyzer_reports_only_its_own_rules_on_code_far_from_a_kernel()
    {
        Snippet snippet = Snippet.Of(Zoo);
        var analyzers = snippet.Compilation.WithAnalyzers([new KernelSubsetAnalyzer()]);
        ImmutableArray<Diagnostic> diagnostics = await analyzers.GetAnalyzerDiagnosticsAsync();
        Assert.NotEmpty(diagnostics);
        Assert.All(diagnostics, d => Assert.StartsWith("CDK0", d.Id, StringComparison.Ordinal));
        Assert.All(diagnostics, d => Assert.Equal(DiagnosticSeverity.Error, d.Severity));
    }

    [Fact]
    public void The_checker_reports_every_method_of_code_far_from_a_kernel()
    {
        Snippet snippet = Snippet.Of(Zoo);
        foreach (IMethodSymbol method in snippet.Methods())
        {
            var diagnostics = SubsetChecker.Check(method, snippet.Compilation);
            Assert.All(diagnostics, d => Assert.Matches(@"^k\.cs\(\d+,\d+\): CDK01[01]\d: .+ .+", d.ToString()));
        }

        Assert.NotEmpty(snippet.Check("K.F"));
        Assert.NotEmpty(snippet.Check("K.Many"));
    }
}
