namespace CoDesign.Benchmarks.Kernels;

/// <summary>
/// Files of the repository the kernel benchmarks read: found by walking up from the binaries to
/// CoDesign.sln, so the commands work from any folder.
/// </summary>
internal static class RepositoryFiles
{
    /// <summary>The folder that holds CoDesign.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>kernels/, the C# kernels the compiler takes.</summary>
    public static string Kernels => Path.Combine(Root, "kernels");

    /// <summary>
    /// A hand-written module or one it instantiates: hardware/baseline/ first (where hand modules go
    /// once a compiled one replaces them), then hardware/rtl/, then hardware/rtl/generated/ (pe.v's
    /// recoder is compiled now). Null when none has it.
    /// </summary>
    public static string? HandModule(string fileName) =>
        new[] { Path.Combine(Root, "hardware", "baseline", fileName), Path.Combine(Root, "hardware", "rtl", fileName), Path.Combine(Root, "hardware", "rtl", "generated", fileName) }
            .FirstOrDefault(File.Exists);

    /// <summary>A checked-in compiled module of hardware/rtl/generated/, or null.</summary>
    public static string? GeneratedModule(string moduleName)
    {
        string path = Path.Combine(Root, "hardware", "rtl", "generated", moduleName + ".v");
        return File.Exists(path) ? path : null;
    }

    private static string FindRoot()
    {
        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "CoDesign.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"no CoDesign.sln above {AppContext.BaseDirectory}");
    }
}
