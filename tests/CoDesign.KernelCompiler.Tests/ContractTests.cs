using CoDesign.KernelCompiler.Execution;
using CoDesign.KernelCompiler.Ir;
using CoDesign.KernelCompiler.Signature;

namespace CoDesign.KernelCompiler.Tests;

/// <summary>Range contracts: the signature carries them, narrowing starts from them, and the IR refuses calls outside them as the CPU does.</summary>
public class ContractTests
{
    private static KernelSource Corpus => KernelSource.Load(Path.Combine(AppContext.BaseDirectory, "Conformance", "Kernels", "Contracts.cs"));

    [Fact]
    public void A_contracted_shift_count_is_five_bits_in_hardware()
    {
        CompiledKernel kernel = KernelCompiler.Compile(Corpus, "Contracts.ShiftBy");
        KernelParameter shift = kernel.Ir.Signature.Parameters.Single(p => p.Name == "shift");
        Assert.Equal((0L, 31L), shift.Range);
        var register = (IrVariable)kernel.Ir.ParameterBindings["shift"];
        Assert.Equal(new Storage(5, false), register.Storage);
    }

    [Fact]
    public void Contracts_on_one_parameter_intersect()
    {
        KernelSource source = Corpus;
        KernelSignature signature = KernelCompiler.Lower(source, source.FindMethod("Contracts.CountUpTo")).Signature;
        Assert.Equal((1L, 12L), signature.Parameters.Single(p => p.Name == "limit").Range);
        Assert.Null(signature.Parameters.Single(p => p.Name == "data").Range);
    }

    [Fact]
    public void A_call_outside_the_contract_fails_on_the_cpu_and_in_the_ir()
    {
        KernelSource source = Corpus;
        CompiledKernel kernel = KernelCompiler.Compile(source, "Contracts.ShiftBy");
        var call = new KernelCall(kernel.Ir.Signature, new Dictionary<string, long[]> { ["value"] = [-1000], ["shift"] = [32] });
        using var cpu = CpuKernelBackend.For(source, "Contracts.ShiftBy");
        Assert.Contains("ArgumentOutOfRangeException", Assert.Throws<KernelExecutionException>(() => cpu.Run(call)).Message, StringComparison.Ordinal);
        Assert.Contains("range contract 0..31", Assert.Throws<KernelExecutionException>(() => new IrInterpreter(kernel.Ir).Run(call)).Message, StringComparison.Ordinal);
        var inside = new KernelCall(kernel.Ir.Signature, new Dictionary<string, long[]> { ["value"] = [-1000], ["shift"] = [31] });
        Assert.Equal(cpu.Run(inside).Return, new IrInterpreter(kernel.Ir) { CheckStorage = true }.Run(inside).Return);
    }
}
