using CoDesign.TestSupport;

namespace CoDesign.KernelCompiler.Tests.Conformance;

/// <summary>The conformance corpus as the tests see it: its folder next to the tests, and its files as theory data.</summary>
internal static class CorpusFiles
{
    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "Conformance", "Kernels");

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (string file in KernelCorpus.Files(Folder))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }
}
