using CoDesign.KernelCompiler.Execution;
using CoDesign.KernelCompiler.Frontend;
using CoDesign.KernelCompiler.Ir;

namespace CoDesign.KernelCompiler.Tests;

public class LoweringSmokeTests
{
    internal static string Kernels => Path.Combine(RepoRoot(), "kernels");

    internal static string RepoRoot()
    {
        string dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "CoDesign.sln")))
        {
            dir = Path.GetDirectoryName(dir)!;
        }

        return dir;
    }

    [Fact]
    public void Multiply_by_shifts_and_adds_runs_in_the_interpreter()
    {
        KernelSource source = KernelSource.Load(Path.Combine(Kernels, "ShiftAddMultiplier.cs"));
        var method = source.FindMethod("ShiftAddMultiplier.Multiply(int, int, out int)");
        IrFunction ir = KernelLowering.Lower(source, method);
        var outcome = new IrInterpreter(ir).Run(new KernelCall(ir.Signature, new Dictionary<string, long[]> { ["x"] = [7], ["constant"] = [13] }));
        Assert.True(outcome.Return == 91, ir.Dump());
        Assert.Equal(3, outcome.Results["steps"][0]);
    }

    [Fact]
    public void Crc_update_runs_in_the_interpreter()
    {
        KernelSource source = KernelSource.Load(Path.Combine(Kernels, "Crc32.cs"));
        IrFunction ir = KernelLowering.Lower(source, source.FindMethod("Crc32.Update"));
        byte[] data = "123456789"u8.ToArray();
        var outcome = new IrInterpreter(ir).Run(new KernelCall(ir.Signature, new Dictionary<string, long[]> { ["crc"] = [0xFFFF_FFFFL], ["data"] = [.. data.Select(b => (long)b)] }));
        Assert.True(0xCBF43926u == ~(uint)outcome.Return!.Value, ir.Dump() + outcome.Return);
    }
}
