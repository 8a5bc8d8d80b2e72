using CoDesign.KernelCompiler.Constants;

namespace CoDesign.Hardware.Tests.Synthesis;

/// <summary>
/// The committed files of hardware/rtl/generated are what their C# sources generate now. Each
/// include file's header names the command that made it; the test runs that command's generator in
/// memory and compares, so a changed C# constant fails here until hardware/generate-rtl.sh is run.
/// </summary>
public class GeneratedRtlTests
{
    private const string CommandPrefix = "// Regenerate with: codesign kernel constants ";

    public static TheoryData<string> IncludeFiles()
    {
        var data = new TheoryData<string>();
        foreach (string file in Directory.GetFiles(Path.Combine(HardwareSources.Root, "rtl", "generated"), "*.vh").OrderBy(f => f, StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Fact]
    public void TheLinkProtocolConstantsAreGenerated() => Assert.True(File.Exists(Path.Combine(HardwareSources.Root, "rtl", "generated", "link_protocol.vh")));

    [Theory]
    [MemberData(nameof(IncludeFiles))]
    public void IncludeFileIsUpToDate(string name)
    {
        string repository = Path.GetFullPath(Path.Combine(HardwareSources.Root, ".."));
        string committed = File.ReadAllText(Path.Combine(HardwareSources.Root, "rtl", "generated", name));
        string command = committed.Split('\n').Single(l => l.StartsWith(CommandPrefix, StringComparison.Ordinal))[CommandPrefix.Length..];
        (List<string> files, List<string> classes, string output) = ParseCommand(command);

        string fresh = VerilogConstants.GenerateInclude(
            [.. files.Select(f => Path.Combine(repository, f))], classes, Path.Combine(repository, output), repository);

        Assert.True(fresh == committed, $"hardware/rtl/generated/{name} is stale; regenerate with: hardware/generate-rtl.sh");
    }

    // The arguments of `codesign kernel constants`: files, then --class NAME pairs and -o PATH.
    private static (List<string> Files, List<string> Classes, string Output) ParseCommand(string command)
    {
        string[] words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var files = new List<string>();
        var classes = new List<string>();
        string output = "";
        for (int i = 0; i < words.Length; i++)
        {
            switch (words[i])
            {
                case "--class":
                    classes.Add(words[++i]);
                    break;
                case "-o":
                    output = words[++i];
                    break;
                default:
                    files.Add(words[i]);
                    break;
            }
        }

        return (files, classes, output);
    }
}
