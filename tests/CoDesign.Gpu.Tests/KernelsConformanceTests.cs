using CoDesign.KernelCompiler;
using CoDesign.KernelCompiler.Execution;
using CoDesign.TestSupport;

namespace CoDesign.Gpu.Tests;

/// <summary>
/// Every kernel of kernels/ through the GPU back end (ILGPU's CPU accelerator) against the CPU, on
/// generated calls within the kernels' documented preconditions. Inputs are still mostly outside a
/// kernel's domain (random CCS pointers), so a
/// call the CPU throws on must fail on the GPU with the same message, and the rest must agree.
/// </summary>
public class KernelsConformanceTests
{
    private const int CallsPerKernel = 60;

    private static readonly Lazy<KernelSource> Source = new(() => KernelSource.Load(Path.Combine(TestAccelerator.KernelsFolder, "SparseMatVec.cs")));

    public static TheoryData<string, string> Kernels()
    {
        var data = new TheoryData<string, string>();
        foreach (string file in KernelCorpus.Files(TestAccelerator.KernelsFolder))
        {
            foreach (var method in KernelCorpus.KernelDeclarations(File.ReadAllText(file)))
            {
                string parameters = string.Join(", ", method.ParameterList.Parameters.Select(p => p.Modifiers.ToString() + (p.Modifiers.Count > 0 ? " " : string.Empty) + p.Type));
                data.Add(Path.GetFileName(file), $"{((Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax)method.Parent!).Identifier.Text}.{method.Identifier.Text}({parameters})");
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void The_gpu_agrees_with_the_cpu_on_every_kernel_of_kernels(string file, string kernel)
    {
        KernelSource source = KernelSource.Load(Path.Combine(TestAccelerator.KernelsFolder, file));
        ConformanceRun.Check(
            source,
            source.FindMethod(kernel),
            CallsPerKernel,
            TestAccelerator.StableSeed(kernel),
            (s, m) => [new GpuKernelBackend(s, m, TestAccelerator.Cpu)],
            sameErrors: true,
            domain: WithinPreconditions);
    }

    // The documented preconditions whose breach makes a kernel loop (almost) forever on the CPU too:
    // WidthConverter's word and value widths, and sizes that drive loops without touching memory.
    private static bool WithinPreconditions(KernelCall call)
    {
        long Scalar(string name) => call.Arguments.TryGetValue(name, out long[]? v) && v.Length == 1 ? v[0] : 8;
        return CoDesign.Kernels.WidthConverter.IsWordWidth((int)Scalar("wordBits"))
            && CoDesign.Kernels.WidthConverter.IsValueWidth((int)Scalar("valueBits"))
            && new[] { "rows", "cols", "count", "peCount", "pe", "stride", "start" }.All(n => Math.Abs(Scalar(n)) <= 64);
    }

    [Fact]
    public void A_valid_spmv_call_agrees_and_an_invalid_one_fails_as_on_the_cpu()
    {
        KernelSource source = Source.Value;
        var method = source.FindMethod("SparseMatVec.MultiplyAccumulate");
        using var cpu = new CpuKernelBackend(source, method);
        var gpu = new GpuKernelBackend(source, method, TestAccelerator.Cpu);
        string[] valid = ["entries=1,18,3", "pointers=0,2,3", "codebook=0,5,-7,9,0,0,0,0,0,0,0,0,0,0,0,0", "x=3,2", "acc=0,0,0,0"];
        KernelCall call = KernelArguments.Parse(cpu.Signature, valid);
        Assert.Equal(KernelOutcomeText.Lines(cpu.Signature, cpu.Run(call), false), KernelOutcomeText.Lines(gpu.Signature, gpu.Run(call), false));
        Assert.Equal(["entries = 1 18 3", "pointers = 0 2 3", "codebook = 0 5 -7 9 0 0 0 0 0 0 0 0 0 0 0 0", "x = 3 2", "acc = 33 0 -21 0", "return = 3"], KernelOutcomeText.Lines(gpu.Signature, gpu.Run(call), false));

        KernelCall outOfRange = KernelArguments.Parse(cpu.Signature, ["entries=1,255,3", "pointers=0,2,3", "codebook=0,5", "x=3,2", "acc=0,0"]);
        string expected = Assert.Throws<KernelExecutionException>(() => cpu.Run(outOfRange)).Message;
        Assert.Equal(expected, Assert.Throws<KernelExecutionException>(() => gpu.Run(outOfRange)).Message);
        Assert.Equal("SparseMatVec.MultiplyAccumulate threw IndexOutOfRangeException: Index was outside the bounds of the array.", expected);
    }
}
