namespace CoDesign.Runtime.Tests;

/// <summary>Finds files of the repository from the test's output folder.</summary>
internal static class RepositoryFiles
{
    public static string Root
    {
        get
        {
            for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "CoDesign.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new DirectoryNotFoundException($"no CoDesign.sln above {AppContext.BaseDirectory}");
        }
    }

    public static string ShippedModel => Path.Combine(Root, "host", "models", "fashion-mnist-mlp.cdsm");
}
