using System.Globalization;
using System.Text;

namespace CoDesign.Hardware.Tests.Compute;

/// <summary>A fresh temporary folder for one bench run: vector files go in, the bench runs there; removed afterwards.</summary>
internal sealed class BenchFolder : IDisposable
{
    public BenchFolder(string name)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"codesign-{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
    }
}

/// <summary>Runs the compute-datapath benches of <c>hardware/tb</c> and speaks their file formats.</summary>
internal static class ComputeBench
{
    /// <summary>Writes a <c>$readmemh</c> file: one value per line, <paramref name="digits"/> hex digits each (an empty list gets one zero line).</summary>
    public static void WriteHex(BenchFolder folder, string file, IEnumerable<ulong> values, int digits)
    {
        var text = new StringBuilder();
        string format = "x" + digits.ToString(CultureInfo.InvariantCulture);
        foreach (ulong value in values)
        {
            text.Append(value.ToString(format, CultureInfo.InvariantCulture)).Append('\n');
        }

        File.WriteAllText(System.IO.Path.Combine(folder.Path, file), text.Length == 0 ? new string('0', digits) + "\n" : text.ToString());
    }

    /// <summary>
    /// Compiles and runs the bench <paramref name="top"/> with the RTL files <paramref name="rtl"/>;
    /// returns its output lines. The harness throws when the bench printed a FAIL line; this
    /// asserts that it reached its DONE line.
    /// </summary>
    public static List<string> Run(string top, IEnumerable<string> rtl, BenchFolder folder, IReadOnlyDictionary<string, string>? parameters = null)
    {
        var sources = rtl.Select(HardwareSources.Rtl).Append(HardwareSources.TestBench(top + ".v")).ToList();
        string output = IcarusSimulation.Run(top, sources, folder.Path, parameters, TimeSpan.FromMinutes(2));
        List<string> lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        Assert.True(lines.Any(l => l.StartsWith("DONE", StringComparison.Ordinal)), $"{top} did not finish:\n{output}");
        return lines;
    }

    /// <summary>Lines that start with the word <paramref name="prefix"/>.</summary>
    public static List<string> Only(IEnumerable<string> lines, string prefix) =>
        lines.Where(l => l.StartsWith(prefix + " ", StringComparison.Ordinal)).ToList();

    /// <summary>Parameter values as the harness wants them.</summary>
    public static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Hex8(int value) => unchecked((uint)value).ToString("x8", CultureInfo.InvariantCulture);

    /// <summary>Bits needed to address <paramref name="count"/> things (at least 1).</summary>
    public static int BitsFor(long count)
    {
        int bits = 1;
        while ((1L << bits) < count)
        {
            bits++;
        }

        return bits;
    }
}
