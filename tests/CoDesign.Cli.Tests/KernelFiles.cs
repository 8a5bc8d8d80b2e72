namespace CoDesign.Cli.Tests;

/// <summary>The repository's kernels/ files, found above the test's output folder.</summary>
internal static class KernelFiles
{
    /// <summary>The full path of kernels/<paramref name="name"/>.</summary>
    public static string Path(string name)
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            string candidate = System.IO.Path.Combine(folder.FullName, "kernels", name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"kernels/{name} not found above {AppContext.BaseDirectory}");
    }
}
