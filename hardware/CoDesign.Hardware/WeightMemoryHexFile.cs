using System.Text;

namespace CoDesign.Hardware;

/// <summary>
/// The file a build bakes into the weight memory (<c>weight_memory</c>'s <c>INIT_FILE</c>, read by
/// <c>$readmemh</c>): one byte per line in two hex digits, from address 0. Addresses after the last
/// line keep the memory's power-on value.
/// </summary>
public static class WeightMemoryHexFile
{
    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/>, creating its folder.</summary>
    public static void Write(string path, ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length * 3);
        foreach (byte b in bytes)
        {
            text.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        }

        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder)
        {
            Directory.CreateDirectory(folder);
        }

        File.WriteAllText(path, text.ToString());
    }
}
