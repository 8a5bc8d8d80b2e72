using System.Globalization;
using System.Text;
using CoDesign.Model.Files;

namespace CoDesign.Hardware;

/// <summary>
/// A memory's initial contents as Verilog's <c>$readmemh</c> reads them: one byte per line in two hex
/// digits from address 0, for the weight memory a build bakes (<c>weight_memory</c>'s <c>INIT_FILE</c>)
/// and for the simulated SPI flash chip (<c>hardware/sim/spi_flash_model.v</c>). Addresses after the
/// last line keep the memory's power-on value.
/// </summary>
public static class ReadMemHexFile
{
    /// <summary>
    /// Writes <paramref name="bytes"/> (address 0 first) to <paramref name="path"/> through a temporary
    /// file in the same folder (see <see cref="OutputFile"/>); the folder must exist. With
    /// <paramref name="powerOnValue"/>, bytes equal to it are left out and an <c>@address</c> line starts
    /// each run of the others, so an erased flash (0xFF) with a bitstream at 0 and a model at 1 MiB is a
    /// short file. <paramref name="what"/> names the file in an error: a path that cannot be written is
    /// an <see cref="ArgumentException"/> that says why.
    /// </summary>
    public static void Write(string path, ReadOnlySpan<byte> bytes, string what, byte? powerOnValue = null)
    {
        var text = new StringBuilder(powerOnValue is null ? bytes.Length * 3 : 0);
        bool skipped = powerOnValue is not null;
        for (int i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == powerOnValue)
            {
                skipped = true;
                continue;
            }

            if (skipped)
            {
                text.Append('@').Append(i.ToString("x", CultureInfo.InvariantCulture)).Append('\n');
                skipped = false;
            }

            text.Append(bytes[i].ToString("x2", CultureInfo.InvariantCulture)).Append('\n');
        }

        OutputFile.WriteAtomically(path, what, Encoding.ASCII.GetBytes(text.ToString()));
    }
}
