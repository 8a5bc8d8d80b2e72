using System.Text;
using CoDesign.Model.Files;

namespace CoDesign.Hardware;

/// <summary>
/// The file a build bakes into the weight memory (<c>weight_memory</c>'s <c>INIT_FILE</c>, read by
/// <c>$readmemh</c>): one byte per line in two hex digits, from address 0. Addresses after the last
/// line keep the memory's power-on value.
/// </summary>
public static class WeightMemoryHexFile
{
    /// <summary>
    /// Writes <paramref name="bytes"/> to <paramref name="path"/> through a temporary file in the same
    /// folder (see <see cref="OutputFile"/>); the folder must exist. A path that cannot be written is
    /// an <see cref="ArgumentException"/> that says why.
    /// </summary>
    public static void Write(string path, ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length * 3);
        foreach (byte b in bytes)
        {
            text.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        }

        OutputFile.WriteAtomically(path, "weight-memory file", Encoding.ASCII.GetBytes(text.ToString()));
    }
}
