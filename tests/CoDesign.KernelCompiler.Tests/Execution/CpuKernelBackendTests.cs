using CoDesign.KernelCompiler.Execution;
using Microsoft.CodeAnalysis;

namespace CoDesign.KernelCompiler.Tests.Execution;

public class CpuKernelBackendTests
{
    private static IReadOnlyList<string> Run(CpuKernelBackend backend, params string[] args) =>
        KernelOutcomeText.Lines(backend.Signature, backend.Run(KernelArguments.Parse(backend.Signature, args)), withCycles: true);

    private static CpuKernelBackend Compile(string code, string method) =>
        CpuKernelBackend.For(KernelSource.Parse(code, "k.cs"), method);

    [Fact]
    public void Shift_add_multiply_of_7_by_13_is_91_in_3_steps()
    {
        KernelSource source = KernelSource.Load(RepositoryPaths.Kernel("ShiftAddMultiplier.cs"));
        IMethodSymbol multiply = source.Compilation.GetTypeByMetadataName("CoDesign.Kernels.ShiftAddMultiplier")!
            .GetMembers("Multiply").OfType<IMethodSymbol>().Single(m => m.Parameters.Length == 3);
        using var backend = new CpuKernelBackend(source, multiply);
        Assert.Equal("cpu", backend.Name);
        Assert.Equal(["steps = 3", "return = 91"], Run(backend, "x=7", "constant=13"));
        Assert.Equal(["steps = 3", "return = -91"], Run(backend, "x=-7", "constant=13"));
    }

    [Fact]
    public void Csd_recoding_returns_both_masks_through_out_parameters()
    {
        using var backend = CpuKernelBackend.For(KernelSource.Load(RepositoryPaths.Kernel("ShiftAddMultiplier.cs")), "ShiftAddMultiplier.Recode");
        Assert.Equal(["plus = 17", "minus = 4"], Run(backend, "constant=13"));
        Assert.Equal(["plus = 0", "minus = 1"], Run(backend, "constant=-1"));
    }

    [Fact]
    public void Crc32_of_the_check_string_is_the_standard_check_value()
    {
        using var backend = CpuKernelBackend.For(KernelSource.Load(RepositoryPaths.Kernel("Crc32.cs")), "Crc32.Compute");
        string digits = string.Join(',', "123456789".Select(c => (int)c));
        Assert.Equal(["data = 49 50 51 52 53 54 55 56 57", "return = 3421780262"], Run(backend, "data=" + digits));
        Assert.Equal(["data =", "return = 0"], Run(backend, "data="));
    }

    [Fact]
    public void Width_unpacking_writes_the_output_span()
    {
        using var backend = CpuKernelBackend.For(KernelSource.Load(RepositoryPaths.Kernel("WidthConverter.cs")), "WidthConverter.Unpack");
        Assert.Equal(
            ["memory = 255 15", "values = -1 -1 -1 0", "return = 2"],
            Run(backend, "memory=0xFF,0x0F", "wordBits=8", "valueBits=4", "signed=true", "values=9,9,9,9"));
        Assert.Equal(
            ["memory = 255 15", "values = 15 15 15 0", "return = 2"],
            Run(backend, "memory=0xFF,0x0F", "wordBits=8", "valueBits=4", "signed=0", "values=9,9,9,9"));
    }

    [Fact]
    public void Every_integer_type_round_trips_through_the_wrapper()
    {
        const string Code = """
            public static class K
            {
                public static ulong F(bool b, sbyte s, byte u, short h, ushort w, char c, int i, uint n, long l, ulong q, System.Span<char> text, out sbyte o)
                {
                    o = s;
                    if (text.Length > 0) { text[0] = c; }
                    return b ? q : (ulong)(u + h + w + i + n + l);
                }
            }
            """;
        using var backend = Compile(Code, "K.F");
        Assert.Equal(
            ["text = 65535 2", "o = -128", "return = 18446744073709551615"],
            Run(backend, "b=1", "s=-128", "u=255", "h=-32768", "w=65535", "c=65535", "i=-1", "n=4294967295", "l=-9223372036854775808", "q=18446744073709551615", "text=1,2"));
        Assert.Equal(
            ["text =", "o = 1", "return = 18446744073709551615"],
            Run(backend, "b=false", "s=1", "u=0", "h=0", "w=0", "c=0", "i=0", "n=0", "l=-1", "q=0", "text="));
    }

    [Fact]
    public void A_read_only_span_is_reported_unchanged_and_a_span_changed()
    {
        const string Code = "public static class K { public static void F(System.ReadOnlySpan<int> a, System.Span<int> b) { for (int i = 0; i < a.Length && i < b.Length; i++) { b[i] = a[i] * 2; } } }";
        using var backend = Compile(Code, "K.F");
        Assert.Equal(["a = 1 2 3", "b = 2 4"], Run(backend, "a=1,2,3", "b=0,0"));
    }

    [Fact]
    public void The_compiled_kernel_is_reused_across_calls()
    {
        using var backend = Compile("public static class K { public static int F(int a) => a + 1; }", "K.F");
        for (int i = 0; i < 2000; i++)
        {
            KernelOutcome outcome = backend.Run(new KernelCall(backend.Signature, new Dictionary<string, long[]> { ["a"] = [i] }));
            Assert.Equal(i + 1, outcome.Return);
            Assert.Null(outcome.Cycles);
        }
    }

    [Fact]
    public void An_index_out_of_range_is_an_execution_error_with_its_type_and_message()
    {
        using var backend = Compile("public static class K { public static int F(System.ReadOnlySpan<int> d) => d[3]; }", "K.F");
        var error = Assert.Throws<KernelExecutionException>(() => Run(backend, "d=1,2"));
        Assert.Equal("K.F threw IndexOutOfRangeException: Index was outside the bounds of the array.", error.Message);
        Assert.IsType<IndexOutOfRangeException>(error.InnerException);
    }

    [Fact]
    public void A_division_by_zero_is_an_execution_error()
    {
        using var backend = Compile("public static class K { public static int F(int a, int b) => a / b; }", "K.F");
        var error = Assert.Throws<KernelExecutionException>(() => Run(backend, "a=1", "b=0"));
        Assert.Equal("K.F threw DivideByZeroException: Attempted to divide by zero.", error.Message);
    }

    [Fact]
    public void Kernels_in_namespaces_and_nested_classes_are_called_by_their_full_names()
    {
        const string Code = "namespace A.B; public static class Outer { public static class K { public static int F(int a) => a * 3; } }";
        using var backend = Compile(Code, "Outer.K.F");
        Assert.Equal(["return = 21"], Run(backend, "a=7"));
        Assert.Equal("K.F", backend.Signature.Name);
    }

    [Fact]
    public void A_private_kernel_cannot_be_called_and_says_why()
    {
        var error = Assert.Throws<KernelCompileException>(() => Compile("public static class K { private static int F(int a) => a; }", "K.F"));
        Assert.Contains("CS0122", error.Message);
    }

    [Fact]
    public void A_signature_outside_the_subset_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => Compile("public static class K { public static double F(int a) => a; }", "K.F"));
        Assert.StartsWith("'K.F(int)' has parameter or return types outside the kernel subset", error.Message);
    }

    [Fact]
    public void A_call_without_a_scalar_value_is_rejected()
    {
        using var backend = Compile("public static class K { public static int F(int a) => a; }", "K.F");
        var error = Assert.Throws<ArgumentException>(() => backend.Run(new KernelCall(backend.Signature, new Dictionary<string, long[]>())));
        Assert.StartsWith("K.F: scalar 'a' needs exactly one value", error.Message);
    }

    [Fact]
    public void A_disposed_backend_cannot_run()
    {
        var backend = Compile("public static class K { public static int F(int a) => a; }", "K.F");
        backend.Dispose();
        backend.Dispose();
        Assert.Throws<ObjectDisposedException>(() => Run(backend, "a=1"));
    }

    [Fact]
    public void Several_kernels_compile_at_once_and_unload_when_the_last_is_disposed()
    {
        KernelSource source = KernelSource.Parse(
            "public static class K { public static int F(int a) => a + 1; public static void G(System.Span<byte> b) { if (b.Length > 0) { b[0] = 7; } } }", "k.cs");
        var backends = CpuKernelBackend.ForAll(source, [source.FindMethod("K.F"), source.FindMethod("K.G")]);
        Assert.Equal(["K.F", "K.G"], backends.Select(b => b.Signature.Name));
        Assert.Equal(["return = 3"], Run(backends[0], "a=2"));
        backends[0].Dispose();
        Assert.Equal(["b = 7 2"], Run(backends[1], "b=1,2"));
        backends[1].Dispose();
        Assert.Throws<ObjectDisposedException>(() => Run(backends[1], "b=1"));
    }
}
