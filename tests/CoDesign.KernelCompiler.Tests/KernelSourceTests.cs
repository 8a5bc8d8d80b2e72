namespace CoDesign.KernelCompiler.Tests;

public class KernelSourceTests
{
    [Fact]
    public void A_missing_method_is_a_diagnostic_naming_it()
    {
        KernelSource source = KernelSource.Parse("static class K { public static int F(int a) => a; }", "k.cs");
        var error = Assert.Throws<KernelCompileException>(() => source.FindMethod("K.G"));
        Assert.StartsWith("k.cs(1,1): CDK0001: method 'K.G'", error.Diagnostics[0].ToString());
    }

    [Fact]
    public void A_compile_error_is_reported_in_the_file_line_column_form()
    {
        var error = Assert.Throws<KernelCompileException>(() => KernelSource.Parse("static class K {\n public static int F(int a) => b; }", "k.cs"));
        Assert.StartsWith("k.cs(2,32): CS0103: ", error.Diagnostics[0].ToString());
    }

    [Fact]
    public void Files_bound_together_once_still_report_the_named_files_errors_first()
    {
        (string Text, string Path) a = ("static class A {\n public static int F(int x) => y; }", "cache_a.cs");
        (string Text, string Path) b = ("static class B {\n public static int G(int x) => z + A.F(x); }", "cache_b.cs");
        var fromA = Assert.Throws<KernelCompileException>(() => KernelSource.Parse(a.Text, a.Path, [b]));
        var fromB = Assert.Throws<KernelCompileException>(() => KernelSource.Parse(b.Text, b.Path, [a]));
        Assert.StartsWith("cache_a.cs(2,32): CS0103: ", fromA.Diagnostics[0].ToString());
        Assert.StartsWith("cache_b.cs(2,32): CS0103: ", fromB.Diagnostics[0].ToString());
        Assert.Equal(2, fromA.Diagnostics.Count);
        Assert.Equal(2, fromB.Diagnostics.Count);
    }

    [Fact]
    public void The_same_files_named_from_either_side_share_one_binding_and_find_their_own_tree()
    {
        (string Text, string Path) a = ("static class A2 { public static int F(int x) => x + 1; }", "share_a.cs");
        (string Text, string Path) b = ("static class B2 { public static int G(int x) => A2.F(x) * 2; }", "share_b.cs");
        KernelSource first = KernelSource.Parse(a.Text, a.Path, [b]);
        KernelSource second = KernelSource.Parse(b.Text, b.Path, [a]);
        Assert.Same(first.Compilation, second.Compilation);
        Assert.Equal("share_a.cs", first.Tree.FilePath);
        Assert.Equal("share_b.cs", second.Tree.FilePath);
        Assert.Equal("G", second.FindMethod("B2.G").Name);
    }
}
