namespace CoDesign.KernelSubset.Tests;

/// <summary>
/// Each rule refuses its constructs at the construct's own position. The snippets are members of
/// <c>static class K</c> in <c>k.cs</c>, starting on line 3 (column 5 is the member's first character).
/// </summary>
public class RefusalTests
{
    public static TheoryData<string, string, string[]> Cases => new()
    {
        // CDK0100 allocation
        { "new array", "public static int F(int n) { var a = new int[n]; return 0; }", ["k.cs(3,34): CDK0105", "k.cs(3,42): CDK0100"] },
        { "new array into a span", "public static int F(int n) { Span<int> a = new int[n]; return a[0]; }", ["k.cs(3,48): CDK0100"] },
        { "new object", "public static int F() { object o = new object(); return 0; }", ["k.cs(3,29): CDK0105", "k.cs(3,40): CDK0100"] },
        { "lambda", "public static int F(int n) { Func<int, int> f = x => x + n; return 0; }", ["k.cs(3,34): CDK0105", "k.cs(3,53): CDK0100"] },
        { "boxing", "public static bool F(int n) => n.Equals((object)n);", ["k.cs(3,36): CDK0104"] },
        { "boxing in an argument", "public static int F(int n) => G(n); static int G(object o) => 0;", ["k.cs(3,37): CDK0100", "k.cs(3,54): CDK0106"] },
        { "string interpolation", "public static int F(int n) => $\"{n}\".Length;", ["k.cs(3,35): CDK0111"] },
        { "string interpolation alone", "public static void F(int n) { _ = $\"{n}\"; }", ["k.cs(3,39): CDK0100"] },
        { "collection expression", "public static int F() { Span<int> s = [1, 2, 3]; return s[0]; }", ["k.cs(3,43): CDK0100"] },

        // CDK0101 exceptions
        { "throw", "public static int F(int n) { if (n < 0) { throw new ArgumentException(); } return n; }", ["k.cs(3,47): CDK0101"] },
        { "throw expression", "public static int F(int n) => n < 0 ? throw new ArgumentException() : n;", ["k.cs(3,43): CDK0101"] },
        { "try/finally", "public static int F(int n) { try { n++; } finally { n--; } return n; }", ["k.cs(3,34): CDK0101"] },

        // CDK0102 recursion
        { "direct recursion", "public static int F(int n) => n <= 1 ? 1 : n * F(n - 1);", ["k.cs(3,52): CDK0102"] },

        // CDK0103 floating point
        { "double local", "public static int F(int n) { double d = n; return (int)d; }", ["k.cs(3,34): CDK0103"] },
        { "float literal", "public static int F(int n) => (int)(n * 1.5f);", ["k.cs(3,45): CDK0103"] },
        { "double parameter", "public static int F(double d) => 0;", ["k.cs(3,25): CDK0103"] },
        { "decimal return", "public static decimal F(int n) => n;", ["k.cs(3,19): CDK0103"] },
        { "cast to double", "public static long F(int n) => (long)((double)n);", ["k.cs(3,43): CDK0103"] },
        { "floating-point library call", "public static int F(int n) => (int)Math.Sqrt(n);", ["k.cs(3,40): CDK0103"] },
        { "floating-point constant", "public static int F() => (int)Math.PI;", ["k.cs(3,35): CDK0103"] },

        // CDK0104 instance calls
        { "instance call", "public static int F(int n) => n.CompareTo(3);", ["k.cs(3,35): CDK0104"] },
        { "span method that is no intrinsic", "public static void F(Span<int> s) => s.Fill(1);", ["k.cs(3,42): CDK0104"] },

        // CDK0105 unsupported types
        { "string local", "public static int F() { string s = \"a\"; return 0; }", ["k.cs(3,29): CDK0105"] },
        { "array local", "public static int F() { int[] a = []; return 0; }", ["k.cs(3,29): CDK0105", "k.cs(3,39): CDK0100"] },
        { "tuple", "public static int F(int n) { (int, int) t = (n, n); return t.Item1; }", ["k.cs(3,34): CDK0105", "k.cs(3,49): CDK0109", "k.cs(3,64): CDK0111"] },
        { "enum", "public static int F() { DayOfWeek d = DayOfWeek.Monday; return (int)d; }", ["k.cs(3,29): CDK0105"] },
        { "nint", "public static int F(int n) { nint p = n; return (int)p; }", ["k.cs(3,34): CDK0105"] },
        { "ref local", "public static int F(int n) { ref int r = ref n; return r; }", ["k.cs(3,34): CDK0105"] },
        { "cast to an enum", "public static int F(int n) => (int)(DayOfWeek)n;", ["k.cs(3,40): CDK0105"] },

        // CDK0106 parameters
        { "ref parameter", "public static void F(ref int n) { n++; }", ["k.cs(3,26): CDK0106"] },
        { "in parameter", "public static int F(in int n) => n;", ["k.cs(3,25): CDK0106"] },
        { "params parameter", "public static int F(params int[] n) => 0;", ["k.cs(3,25): CDK0106"] },
        { "optional parameter", "public static int F(int n = 3) => n;", ["k.cs(3,25): CDK0106"] },
        { "string parameter", "public static int F(string s) => 0;", ["k.cs(3,25): CDK0106"] },
        { "out span", "public static void F(out Span<int> s) { s = default; }", ["k.cs(3,26): CDK0106"] },
        { "span return", "public static Span<int> F(Span<int> s) => s;", ["k.cs(3,19): CDK0106"] },

        // CDK0107 checked arithmetic
        { "checked expression", "public static int F(int n) => checked(n * n);", ["k.cs(3,35): CDK0107"] },
        { "checked block", "public static int F(int n) { checked { n++; } return n; }", ["k.cs(3,34): CDK0107"] },

        // CDK0108 statements
        { "foreach", "public static int F(ReadOnlySpan<int> s) { int t = 0; foreach (int x in s) { t += x; } return t; }", ["k.cs(3,59): CDK0108"] },
        { "switch", "public static int F(int n) { switch (n) { case 1: return 2; default: return 0; } }", ["k.cs(3,34): CDK0108"] },
        { "goto", "public static int F(int n) { again: n--; if (n > 0) { goto again; } return n; }", ["k.cs(3,34): CDK0108", "k.cs(3,59): CDK0108"] },
        { "local function", "public static int F(int n) { return G(n); static int G(int m) => m; }", ["k.cs(3,47): CDK0108"] },
        { "capturing local function", "public static int F(int n) { return G(1); int G(int m) => m + n; }", ["k.cs(3,47): CDK0108"] },
        { "yield", "public static System.Collections.Generic.IEnumerable<int> F() { yield return 1; }", ["k.cs(3,19): CDK0106", "k.cs(3,69): CDK0108"] },
        { "await", "public static async System.Threading.Tasks.Task F() { await System.Threading.Tasks.Task.Yield(); }", ["k.cs(3,25): CDK0106", "k.cs(3,59): CDK0108"] },
        { "lock", "static readonly object Gate = new(); public static void F() { lock (Gate) { } }", ["k.cs(3,67): CDK0108"] },
        { "using", "public static void F(System.IO.Stream s) { using (s) { } }", ["k.cs(3,26): CDK0106", "k.cs(3,48): CDK0108"] },
        { "unsafe block", "public static int F(int n) { unsafe { n++; } return n; }", ["k.cs(3,34): CDK0108"] },

        // CDK0109 other expressions
        { "type test", "public static bool F(int n) => n is int;", ["k.cs(3,36): CDK0109"] },
        { "declaration pattern", "public static bool F(int n) => n is var m && m > 0;", ["k.cs(3,41): CDK0109"] },
        { "switch expression", "public static int F(int n) => n switch { 1 => 2, _ => 0 };", ["k.cs(3,35): CDK0109"] },
        { "index from end", "public static int F(ReadOnlySpan<int> s) => s[^1];", ["k.cs(3,51): CDK0109"] },
        { "range", "public static int F(ReadOnlySpan<int> s) => s[1..].Length;", ["k.cs(3,51): CDK0109"] },
        { "null coalescing", "public static int F(int? n) => n ?? 0;", ["k.cs(3,25): CDK0106", "k.cs(3,36): CDK0109"] },
        { "typeof", "public static bool F() => typeof(int) == typeof(long);", ["k.cs(3,31): CDK0109", "k.cs(3,46): CDK0109"] },

        // CDK0110 library calls
        { "library call", "public static void F(int n) { Console.WriteLine(n); }", ["k.cs(3,35): CDK0110"] },
        { "library integer call", "public static int F(int n) => Math.Abs(n);", ["k.cs(3,35): CDK0110"] },

        // CDK0111 state and members
        { "static field", "static int count; public static int F() => count++;", ["k.cs(3,48): CDK0111"] },
        { "static readonly field", "static readonly int Limit = 3; public static int F() => Limit;", ["k.cs(3,61): CDK0111"] },
        { "property", "static int P => 3; public static int F() => P;", ["k.cs(3,49): CDK0111"] },
        { "library property", "public static int F() => Environment.ProcessorCount;", ["k.cs(3,30): CDK0111"] },

        // CDK0112 stackalloc size
        { "stackalloc of a variable size", "public static int F(int n) { Span<int> s = stackalloc int[n]; return s[0]; }", ["k.cs(3,48): CDK0112"] },

        // CDK0113 span rebound
        { "span local rebound", "public static int F(Span<int> a) { Span<int> s = a; s = a.Slice(1); return s[0]; }", ["k.cs(3,57): CDK0113"] },
        { "span parameter rebound", "public static int F(ReadOnlySpan<int> a) { a = a.Slice(1); return a[0]; }", ["k.cs(3,48): CDK0113"] },

        // CDK0114 range contract the compiler cannot read
        { "contract after another statement", "public static int F(int n) { n++; ArgumentOutOfRangeException.ThrowIfNegative(n); return n; }", ["k.cs(3,39): CDK0114"] },
        { "contract with a bound that is not a literal", "public static int F(int n, int m) { ArgumentOutOfRangeException.ThrowIfGreaterThan(n, m); return n; }", ["k.cs(3,41): CDK0114"] },
        { "contract on a local", "public static int F(int n) { int k = n; ArgumentOutOfRangeException.ThrowIfNegative(k); return k; }", ["k.cs(3,45): CDK0114"] },
        { "contract on a span element", "public static int F(ReadOnlySpan<int> a) { ArgumentOutOfRangeException.ThrowIfNegative(a[0]); return a[0]; }", ["k.cs(3,48): CDK0114"] },
        { "contract inside a branch", "public static int F(int n) { if (n > 3) { ArgumentOutOfRangeException.ThrowIfNegative(n); } return n; }", ["k.cs(3,47): CDK0114"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_construct_outside_the_subset_is_refused_where_it_is(string construct, string member, string[] expected)
    {
        _ = construct;
        Snippet snippet = Snippet.Of($"static class K\n{{\n    {member}\n}}\n");
        Assert.Equal(expected, snippet.Check("K.F").Select(Prefix).ToArray());
    }

    [Fact]
    public void Every_rule_has_a_refusing_case()
    {
        var codes = Cases.Select(row => (string[])row[2]).SelectMany(e => e).Select(e => e[^7..]).ToHashSet();
        Assert.All(Enumerable.Range(100, 14).Select(n => $"CDK0{n}"), code => Assert.Contains(code, codes));
    }

    [Fact]
    public void A_message_names_the_construct_and_says_why()
    {
        Snippet snippet = Snippet.Of("static class K\n{\n    public static int F(int n) { var a = new int[n]; return 0; }\n}\n");
        Assert.Equal("k.cs(3,42): CDK0100: 'new int[n]' allocates on the heap; hardware has no heap (use stackalloc with a constant size)", snippet.Check("K.F")[1]);
    }

    [Fact]
    public void A_floating_point_local_is_one_error_not_one_per_literal()
    {
        Snippet snippet = Snippet.Of("static class K\n{\n    public static int F(int n) { double d = 0.5 * n + 1.5; return (int)d; }\n}\n");
        Assert.Equal(["k.cs(3,34): CDK0103: floating-point type 'double' is not hardware; kernels compute in integers (use fixed point)"], snippet.Check("K.F"));
    }

    [Fact]
    public void An_instance_method_is_refused_at_its_name()
    {
        Snippet snippet = Snippet.Of("class K\n{\n    public int F(int n) => n;\n}\n");
        Assert.Equal(["k.cs(3,16): CDK0111: instance method 'K.F' has a 'this' object; kernels and the methods they call are static"], snippet.Check("K.F"));
    }

    [Fact]
    public void Arithmetic_of_a_checked_project_is_refused_outside_unchecked()
    {
        Snippet snippet = Snippet.Of(checkOverflow: true, ("k.cs", "static class K\n{\n    public static int F(int n) => n * n + 1 + unchecked(n * 3) + (n >> 1);\n}\n"));
        Assert.Equal(
            ["k.cs(3,35): CDK0107: 'n * n + 1 + unchecked(n * 3) + (n >> 1)' throws on overflow, as the project checks arithmetic (CheckForOverflowUnderflow); hardware arithmetic wraps (use unchecked)"],
            snippet.Check("K.F"));
    }

    [Fact]
    public void Long_code_is_quoted_cut()
    {
        Snippet snippet = Snippet.Of("static class K\n{\n    public static int F(int n) => checked(n * n * n * n * n * n * n * n * n * n * n);\n}\n");
        Assert.Equal("k.cs(3,35): CDK0107: 'checked(n * n * n * n * n * n * n * n...' throws on overflow; hardware arithmetic wraps (drop 'checked')", snippet.Check("K.F").Single());
    }

    private static string Prefix(string diagnostic) => diagnostic[..(diagnostic.IndexOf(": CDK", StringComparison.Ordinal) + 9)];
}
