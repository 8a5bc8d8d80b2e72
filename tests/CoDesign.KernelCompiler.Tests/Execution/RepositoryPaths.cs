namespace CoDesign.KernelCompiler.Tests.Execution;

/// <summary>Paths in the repository, found by walking up from the test binaries to CoDesign.sln.</summary>
internal static class RepositoryPaths
{
    /// <summary>The folder that holds CoDesign.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>A kernel file of kernels/.</summary>
    public static string Kernel(string fileName) => Path.Combine(Root, "kernels", fileName);

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
