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
}
