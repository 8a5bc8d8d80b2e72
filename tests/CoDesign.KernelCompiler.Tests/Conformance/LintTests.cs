using CoDesign.Hardware;
using CoDesign.TestSupport;

namespace CoDesign.KernelCompiler.Tests.Conformance;

/// <summary>
/// Every module the compiler makes of the corpus passes Verilator's lint with all warnings on, and so
/// does each one compiled with a stall input (every shape but combinational logic takes one).
/// </summary>
public class LintTests
{
    private static string Folder => CorpusFiles.Folder;

    public static TheoryData<string> Files() => CorpusFiles.Names();

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_compiled_module_of_a_corpus_file_lints_clean(string file)
    {
        KernelSource source = KernelSource.Load(Path.Combine(Folder, file));
        string folder = Path.Combine(Path.GetTempPath(), "codesign-lint-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        try
        {
            foreach (string kernel in KernelCorpus.Kernels(Path.Combine(Folder, file)))
            {
                CompiledKernel compiled = KernelCompiler.Compile(source, kernel);
                Lint(kernel, compiled, folder);
                if (compiled.Shape != KernelShape.Combinational)
                {
                    Lint(kernel + " (stall)", KernelCompiler.Compile(source, kernel, new CompileOptions { Stall = true }), Directory.CreateDirectory(Path.Combine(folder, "stall")).FullName);
                }
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void Lint(string kernel, CompiledKernel compiled, string folder)
    {
        string path = Path.Combine(folder, compiled.ModuleName + ".v");
        File.WriteAllText(path, compiled.Verilog);
        (int exit, string output) = ExternalTool.Run("verilator", ["--lint-only", "-Wall", "--top-module", compiled.ModuleName, path], folder, TimeSpan.FromMinutes(1));
        Assert.True(exit == 0, $"{kernel}:\n{output}\n{compiled.Verilog}");
    }
}
