namespace CoDesign.Cli.Tests;

/// <summary><c>codesign kernel run --backend gpu</c> prints exactly what <c>--backend cpu</c> prints.</summary>
public class KernelRunGpuTests
{
    private static readonly string Crc32 = KernelFiles.Path("Crc32.cs");

    [Theory]
    [InlineData("Crc32.UpdateByte", new[] { "crc=0xFFFFFFFF", "data=49" })]
    [InlineData("Crc32.UpdateByte", new[] { "crc=0", "data=255" })]
    [InlineData("Crc32.Update", new[] { "crc=0xFFFFFFFF", "data=49,50,51" })]
    public void Gpu_prints_what_cpu_prints(string method, string[] args)
    {
        string[] common = ["kernel", "run", Crc32, "--method", method, .. args.SelectMany(a => new[] { "--arg", a })];
        var cpu = CodesignProcess.Run([.. common, "--backend", "cpu"]);
        var gpu = CodesignProcess.Run([.. common, "--backend", "gpu"]);
        Assert.Equal(0, cpu.ExitCode);
        Assert.Equal((0, cpu.Out, string.Empty), (gpu.ExitCode, gpu.Out, gpu.Error));
        Assert.Contains("return = ", gpu.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void A_kernel_the_rewriter_refuses_is_one_diagnostic_line_and_exit_2()
    {
        string path = CodesignProcess.TempFile("Flags.cs", "public static class Flags\n{\n    public static int Count(ReadOnlySpan<bool> f) => f.Length;\n}\n");
        var gpu = CodesignProcess.Run("kernel", "run", path, "--method", "Flags.Count", "--arg", "f=1,0", "--backend", "gpu");
        Assert.Equal(2, gpu.ExitCode);
        Assert.Equal($"{path}(3,29): CDG0001: 'ReadOnlySpan<bool>' has element type 'bool', which ILGPU buffers cannot hold (they take blittable types; use byte or ushort)", gpu.Error.Trim());
    }
}
