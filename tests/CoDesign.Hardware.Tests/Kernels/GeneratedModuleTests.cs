using CoDesign.KernelCompiler;

namespace CoDesign.Hardware.Tests.Kernels;

/// <summary>
/// The modules in hardware/rtl/generated are what the kernel compiler makes of kernels/ now: each
/// file's header names the command that wrote it, and the test compiles the same kernel with the same
/// options and compares, so a changed kernel (or compiler) fails here until hardware/generate-rtl.sh runs.
/// </summary>
public class GeneratedModuleTests
{
    private const string CommandPrefix = "// Regenerate with: ";

    public static TheoryData<string> Modules()
    {
        var data = new TheoryData<string>();
        foreach (string file in Directory.GetFiles(Path.Combine(HardwareSources.Root, "rtl", "generated"), "*.v").OrderBy(f => f, StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Fact]
    public void The_link_crc_is_compiled_from_the_kernel() =>
        Assert.True(File.Exists(Path.Combine(HardwareSources.Root, "rtl", "generated", "crc32_update_byte.v")));

    [Theory]
    [MemberData(nameof(Modules))]
    public void Module_is_up_to_date(string name)
    {
        string committed = File.ReadAllText(Path.Combine(HardwareSources.Root, "rtl", "generated", name));
        string command = committed.Split('\n').Single(l => l.StartsWith(CommandPrefix, StringComparison.Ordinal))[CommandPrefix.Length..].TrimEnd('\r');
        IReadOnlyList<string> words = Words(command);
        Assert.Equal(["codesign", "kernel", "verilog"], words.Take(3));
        string file = words[3];
        string method = Value(words, "--method")!;
        string? clock = Value(words, "--clock-mhz");
        string shape = Value(words, "--shape") ?? "auto";
        var options = new CompileOptions
        {
            ClockMhz = clock is null ? 30 : double.Parse(clock, System.Globalization.CultureInfo.InvariantCulture),
            Shape = KernelShapeNames.Parse(shape),
            PipelineTag = words.Contains("--tag"),
            Stall = words.Contains("--stall"),
            Command = command,
        };

        string repository = Path.GetFullPath(Path.Combine(HardwareSources.Root, ".."));
        CompiledKernel fresh = KernelCompiler.KernelCompiler.Compile(KernelSource.Load(Path.Combine(repository, file)), method, options);

        Assert.True(fresh.Verilog == committed, $"hardware/rtl/generated/{name} is stale; regenerate with: hardware/generate-rtl.sh");
    }

    private static string? Value(IReadOnlyList<string> words, string option)
    {
        for (int i = 0; i + 1 < words.Count; i++)
        {
            if (words[i] == option)
            {
                return words[i + 1];
            }
        }

        return null;
    }

    // Shell words: spaces separate, single quotes group (a method with its parameter types).
    private static List<string> Words(string command)
    {
        var words = new List<string>();
        var word = new System.Text.StringBuilder();
        bool quoted = false;
        foreach (char c in command)
        {
            if (c == '\'')
            {
                quoted = !quoted;
            }
            else if (c == ' ' && !quoted)
            {
                if (word.Length > 0)
                {
                    words.Add(word.ToString());
                    word.Clear();
                }
            }
            else
            {
                word.Append(c);
            }
        }

        if (word.Length > 0)
        {
            words.Add(word.ToString());
        }

        return words;
    }
}
