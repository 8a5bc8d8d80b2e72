using CoDesign.KernelCompiler.Execution;
using CoDesign.KernelCompiler.Ir;
using CoDesign.KernelCompiler.Passes;
using CoDesign.TestSupport;
using Microsoft.CodeAnalysis;

namespace CoDesign.KernelCompiler.Tests.Conformance;

/// <summary>
/// Each optimizing pass keeps the kernel's meaning: every corpus kernel is lowered, and after every
/// single run of every pass (in the compiler's order, round after round until nothing changes, then
/// width narrowing, multiply splitting and branch threading) the IR interpreter must agree with the
/// C# on generated calls. A failure names the pass and prints the IR it left.
/// </summary>
public class PassByPassTests
{
    private const int Calls = 12;

    private static string Folder => CorpusFiles.Folder;

    public static TheoryData<string> Files() => CorpusFiles.Names();

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_pass_keeps_every_kernel_of_a_corpus_file_equal_to_the_cpu(string file) => CheckFile(file, KernelCompiler.Passes);

    /// <summary>
    /// The same with loop flattening tried against a 1 MHz clock, so that it flattens every nest of the
    /// shape it takes, not only those whose flat loop fits the default clock.
    /// </summary>
    [Theory]
    [MemberData(nameof(Files))]
    public void Flattening_every_nest_it_can_keeps_every_kernel_equal_to_the_cpu(string file) =>
        CheckFile(file, [.. KernelCompiler.Passes.Select(p => p is LoopFlattening ? new LoopFlattening(clockMhz: 1) : p)]);

    private static void CheckFile(string file, IReadOnlyList<IIrPass> passes)
    {
        KernelSource source = KernelSource.Load(Path.Combine(Folder, file));
        IReadOnlyList<IMethodSymbol> methods = [.. KernelCorpus.Kernels(Path.Combine(Folder, file)).Select(source.FindMethod)];
        IReadOnlyList<CpuKernelBackend> cpus = CpuKernelBackend.ForAll(source, methods);
        try
        {
            for (int k = 0; k < methods.Count; k++)
            {
                Check(source, methods[k], cpus[k], k, passes);
            }
        }
        finally
        {
            foreach (CpuKernelBackend cpu in cpus)
            {
                cpu.Dispose();
            }
        }
    }

    private static void Check(KernelSource source, IMethodSymbol method, CpuKernelBackend cpu, int seed, IReadOnlyList<IIrPass> passes)
    {
        IrFunction ir = KernelCompiler.Lower(source, method);
        List<KernelCall> calls = [.. new KernelInputGenerator(seed).Calls(ir.Signature, Calls)];
        List<KernelOutcome> expected = [.. calls.Select(cpu.Run)];
        Agree(ir, calls, expected, "lowering");
        for (int round = 0; round < 20; round++)
        {
            bool changed = false;
            foreach (IIrPass pass in passes)
            {
                if (pass.Run(ir))
                {
                    changed = true;
                    Agree(ir, calls, expected, $"{pass.Name} (round {round + 1})");
                }
            }

            if (!changed)
            {
                break;
            }
        }

        new WidthNarrowing(new CompileOptions().AddressBits).Run(ir);
        Agree(ir, calls, expected, "width narrowing", checkStorage: true);

        // Against a 200 MHz clock every multiply is split down to its smallest halves.
        if (new MultiplySplitting(clockMhz: 200).Run(ir))
        {
            new WidthNarrowing(new CompileOptions().AddressBits).Run(ir);
            ir.Renumber();
            Agree(ir, calls, expected, "multiply splitting", checkStorage: true);
        }

        // Against a 1 MHz clock every test a branch leads to that can be threaded is.
        if (new BranchThreading(clockMhz: 1).Run(ir))
        {
            Agree(ir, calls, expected, "branch threading", checkStorage: true);
        }
    }

    private static void Agree(IrFunction ir, List<KernelCall> calls, List<KernelOutcome> expected, string after, bool checkStorage = false)
    {
        var interpreter = new IrInterpreter(ir) { CheckStorage = checkStorage };
        for (int i = 0; i < calls.Count; i++)
        {
            KernelOutcome actual;
            try
            {
                actual = interpreter.Run(calls[i]);
            }
            catch (Exception e) when (e is KernelExecutionException or InvalidOperationException)
            {
                Assert.Fail($"{ir.Signature.Name} after {after}: {e.Message}\n{ConformanceCheck.DescribeInputs(calls[i])}\n{ir.Dump()}");
                return;
            }

            string? difference = ConformanceCheck.FirstDifference(ir.Signature, expected[i], actual);
            Assert.True(difference is null, $"{ir.Signature.Name} after {after}: {difference}\n{ConformanceCheck.DescribeInputs(calls[i])}\n{ir.Dump()}");
        }
    }
}
